const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DIGIT_POSITIONS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22];

/**
 * `Date.parse(time)`, without its cost for the form the ledger writes (`2026-11-20T18:00:00.000Z`, from
 * `toISOString`); any other text goes through `Date.parse`.
 */
export function timeMs(time: string): number {
  if (
    time.length !== 24 ||
    time.charCodeAt(23) !== 90 ||
    time.charCodeAt(4) !== 45 ||
    time.charCodeAt(7) !== 45 ||
    time.charCodeAt(10) !== 84 ||
    time.charCodeAt(13) !== 58 ||
    time.charCodeAt(16) !== 58 ||
    time.charCodeAt(19) !== 46
  )
    return Date.parse(time);
  for (const at of DIGIT_POSITIONS) {
    const code = time.charCodeAt(at);
    if (code < 48 || code > 57) return Date.parse(time);
  }
  const digit = (at: number): number => time.charCodeAt(at) - 48;
  const year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
  const month = digit(5) * 10 + digit(6);
  const day = digit(8) * 10 + digit(9);
  const hour = digit(11) * 10 + digit(12);
  const minute = digit(14) * 10 + digit(15);
  const second = digit(17) * 10 + digit(18);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return Date.parse(time);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, digit(20) * 100 + digit(21) * 10 + digit(22));
  // A day the month does not have (Date.UTC would roll it over) and years Date.UTC reads as 19xx go to Date.parse.
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1]!) && year >= 100 ? ms : Date.parse(time);
}
