// Ink's own parse-keypress, which the bundle gives to source/ui/ink-parse-keypress.ts only.
declare module 'ink-original-parse-keypress' {
  export const nonAlphanumericKeys: string[];
  const parseKeypress: (s?: Buffer | string) => {
    name: string;
    ctrl: boolean;
    meta: boolean;
    shift: boolean;
    option: boolean;
    sequence: string;
    raw: string | undefined;
    code?: string;
    isKittyProtocol?: boolean;
    text?: string;
    isPrintable?: boolean;
  };
  export default parseKeypress;
}
