import type { MoneyAmount } from '../core/report/money';
import { exactMoney, formatMoney } from '../core/report/formatMoney';
import { element } from './dom';

/** A money figure: the short text, the exact amount in the tooltip and in `data-usd` (known USD) for checking. */
export function moneyElement(amount: MoneyAmount, className = ''): HTMLSpanElement {
  const node = element('span', { className: `money ${className}`.trim(), text: formatMoney(amount), title: exactMoney(amount) });
  node.dataset.usd = String(amount.knownUsd);
  node.dataset.unpriced = String(amount.unpriced);
  return node;
}
