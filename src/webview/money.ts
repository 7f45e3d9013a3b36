import { formatUsd } from '../core/estimate/formatting';
import type { MoneyAmount } from '../core/report/money';
import { exactMoney, formatMoney } from '../core/report/formatMoney';
import { element } from './dom';

/**
 * A money figure: the text of `formatMoney` ("$0.050 + 1 of unknown cost", the unknown part in its own smaller span),
 * the exact amount in the tooltip, and the known USD in `data-usd` (so tests and users can check it).
 */
export function moneyElement(amount: MoneyAmount, className = ''): HTMLSpanElement {
  const node = element('span', { className: `money ${className}`.trim(), title: exactMoney(amount) });
  if (amount.unpriced > 0 && amount.knownUsd !== 0) {
    node.append(
      element('span', { text: formatUsd(amount.knownUsd) }),
      element('span', { className: 'unpriced', text: ` + ${amount.unpriced} of unknown cost` }),
    );
  } else node.textContent = formatMoney(amount);
  node.dataset.usd = String(amount.knownUsd);
  node.dataset.unpriced = String(amount.unpriced);
  return node;
}
