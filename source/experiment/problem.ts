/** One thing wrong with an experiment file, at its JSON path ("method[1].provider.action"). */
export interface Problem {
  path: string;
  message: string;
}
