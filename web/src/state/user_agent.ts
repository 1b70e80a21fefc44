// A short, human name for the device of a session ("Firefox", "Windows")
// from its User-Agent header. Order matters: Edge and Opera also say
// "Chrome", Chrome also says "Safari", Android also says "Linux".

export interface DeviceDescription {
  browser: string | null;
  os: string | null;
}

const kBrowsers: Array<[RegExp, string]> = [
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/YaBrowser\//, 'Yandex Browser'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|CriOS\/|Chromium\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];

const kSystems: Array<[RegExp, string]> = [
  [/Windows/, 'Windows'],
  [/iPad/, 'iPadOS'],
  [/iPhone|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux|X11/, 'Linux'],
];

function firstMatch(table: Array<[RegExp, string]>, text: string): string | null {
  for (const [pattern, name] of table) if (pattern.test(text)) return name;
  return null;
}

export function describeUserAgent(userAgent: string): DeviceDescription {
  return { browser: firstMatch(kBrowsers, userAgent), os: firstMatch(kSystems, userAgent) };
}
