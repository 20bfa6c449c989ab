import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_DIRECTORY_KEYS,
  DEFAULT_DIRECTORY_URL,
  DIRECTORY_KEYS,
  DIRECTORY_URL,
  parseDirectoryConfig,
} from '../../../lib/config';

const KEY_A = 'GB9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=';
const KEY_B = 'Hb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=';

describe('directory configuration', () => {
  it('uses the project directory when nothing is set (or set empty)', () => {
    expect(parseDirectoryConfig({})).toEqual({
      directoryUrl: DEFAULT_DIRECTORY_URL,
      directoryKeys: [...DEFAULT_DIRECTORY_KEYS],
    });
    expect(parseDirectoryConfig({ WXT_DIRECTORY_URL: '  ', WXT_DIRECTORY_KEYS: '' }).directoryUrl).toBe(
      DEFAULT_DIRECTORY_URL,
    );
    expect(DEFAULT_DIRECTORY_URL).toBe('https://genuine-extension.github.io/directory/v1/directory.json');
  });

  it('reads another directory and its comma-separated keys', () => {
    expect(
      parseDirectoryConfig({
        WXT_DIRECTORY_URL: 'http://127.0.0.1:8443/directory.json',
        WXT_DIRECTORY_KEYS: ` ${KEY_A}, ${KEY_B},${KEY_A},`,
      }),
    ).toEqual({ directoryUrl: 'http://127.0.0.1:8443/directory.json', directoryKeys: [KEY_A, KEY_B] });
  });

  it('refuses a bad URL or key with a message naming the variable', () => {
    expect(() => parseDirectoryConfig({ WXT_DIRECTORY_URL: 'http://example.com/d.json' })).toThrow(
      /WXT_DIRECTORY_URL.*https/,
    );
    expect(() => parseDirectoryConfig({ WXT_DIRECTORY_URL: 'not a url' })).toThrow(ConfigError);
    expect(() => parseDirectoryConfig({ WXT_DIRECTORY_KEYS: `${KEY_A},short` })).toThrow(
      /WXT_DIRECTORY_KEYS.*"short"/,
    );
    expect(() => parseDirectoryConfig({ WXT_DIRECTORY_KEYS: 42 })).toThrow(ConfigError);
  });

  it('exports what this build was configured with', () => {
    const expected = parseDirectoryConfig({
      WXT_DIRECTORY_URL: import.meta.env.WXT_DIRECTORY_URL,
      WXT_DIRECTORY_KEYS: import.meta.env.WXT_DIRECTORY_KEYS,
    });
    expect(DIRECTORY_URL).toBe(expected.directoryUrl);
    expect(DIRECTORY_KEYS).toEqual(expected.directoryKeys);
  });
});
