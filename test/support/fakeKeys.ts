/**
 * A key-shaped fake secret (`sk-…`) for the tests and benches that check a key never leaks or is sent right.
 * Built at run time from a label, so no tracked file holds a string that looks like an API key.
 */
export function fakeApiKey(label: string): string {
  return ['sk', label].join('-');
}
