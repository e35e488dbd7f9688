import { readFileSync } from 'node:fs';

/** What chaosdeck says of itself: in `--help`, `--version`, the header, journals and reports. */
export interface PackageInfo {
  name: string;
  version: string;
  description: string;
}

// Written into the bundles at build time (scripts/bundle.mjs, scripts/binary.mjs): the single
// executable has no package.json beside it to read.
declare const __CHAOSDECK_PACKAGE__: PackageInfo | undefined;

let read: PackageInfo | undefined;

/** chaosdeck's package facts: the build's, or package.json's when run from source (tests). */
export function packageInfo(): PackageInfo {
  if (typeof __CHAOSDECK_PACKAGE__ !== 'undefined') return __CHAOSDECK_PACKAGE__;
  return (read ??= fromPackageJson());
}

/** chaosdeck's own version, for the header, journals and reports. */
export function packageVersion(): string {
  return packageInfo().version;
}

function fromPackageJson(): PackageInfo {
  // source/entry/ is two levels below package.json.
  for (const up of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
        description?: string;
      };
      if (pkg.name === 'chaosdeck')
        return { name: pkg.name, version: String(pkg.version), description: pkg.description ?? '' };
    } catch {
      // Not here: the next level up.
    }
  }
  return { name: 'chaosdeck', version: 'unknown', description: '' };
}
