import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { budgetGate, budgetLevel } from '../../src/core/report/budget';
import type { CostReport } from '../../src/core/report/costReportTypes';
import type { MoneyAmount } from '../../src/core/report/money';

function budget(
  monthly: number | null,
  used: number | MoneyAmount,
  perRun: number | null = null,
): Pick<CostReport, 'budget'> {
  const amount = typeof used === 'number' ? { usd: used, knownUsd: used, unpriced: 0 } : used;
  return {
    budget: {
      monthly,
      perRun,
      used: amount,
      fraction: monthly ? amount.knownUsd / monthly : null,
      level: budgetLevel(amount.knownUsd, monthly),
      runsOverBudget: 0,
    },
  };
}

describe('budgetLevel', () => {
  test('ok below 80%, warning from 80%, exceeded from 100%; ok without a budget', () => {
    assert.equal(budgetLevel(7.99, 10), 'ok');
    assert.equal(budgetLevel(8, 10), 'warning');
    assert.equal(budgetLevel(9.99, 10), 'warning');
    assert.equal(budgetLevel(10, 10), 'exceeded');
    assert.equal(budgetLevel(1000, null), 'ok');
    assert.equal(budgetLevel(1000, 0), 'ok');
  });
});

describe('budgetGate', () => {
  test('no budget: every run may start, nothing to say', () => {
    assert.deepEqual(budgetGate(budget(null, 50), 20), { allowed: true, level: 'ok', overridden: false, messages: [] });
  });

  test('monthly: $5 used + $2 planned of $10 is fine; $7 + $1 = 80% warns; $6 + $4 = exactly 100% warns but starts', () => {
    assert.deepEqual(budgetGate(budget(10, 5), 2), { allowed: true, level: 'ok', overridden: false, messages: [] });
    const warning = budgetGate(budget(10, 7), 1);
    assert.equal(warning.allowed, true);
    assert.equal(warning.level, 'warning');
    assert.match(warning.messages[0]!, /\$8\.00, 80% of the monthly budget of \$10\.00/);
    assert.deepEqual([budgetGate(budget(10, 6), 4).allowed, budgetGate(budget(10, 6), 4).level], [true, 'warning']);
  });

  test('monthly: a run that would go past 100% is refused unless overridden; a spent month refuses any run', () => {
    const refused = budgetGate(budget(10, 9), 2);
    assert.deepEqual([refused.allowed, refused.level, refused.overridden], [false, 'exceeded', false]);
    assert.match(
      refused.messages[0]!,
      /would take this month's spend to \$11\.00, past the monthly budget of \$10\.00/,
    );
    const overridden = budgetGate(budget(10, 9), 2, { override: true });
    assert.deepEqual([overridden.allowed, overridden.level, overridden.overridden], [true, 'exceeded', true]);
    const spent = budgetGate(budget(10, 10), 0);
    assert.equal(spent.allowed, false);
    assert.match(spent.messages[0]!, /monthly budget of \$10\.00 is spent/);
  });

  test('per run: an estimate past the per-run budget is refused; from 80% it warns', () => {
    assert.deepEqual(
      [budgetGate(budget(null, 0, 1), 1.5).allowed, budgetGate(budget(null, 0, 1), 1.5).level],
      [false, 'exceeded'],
    );
    assert.deepEqual(
      [budgetGate(budget(null, 0, 1), 0.9).allowed, budgetGate(budget(null, 0, 1), 0.9).level],
      [true, 'warning'],
    );
    assert.deepEqual(
      [budgetGate(budget(null, 0, 1), 1).allowed, budgetGate(budget(null, 0, 1), 1).level],
      [true, 'warning'],
    );
    assert.equal(budgetGate(budget(null, 0, 1), 0.5).level, 'ok');
    // The worse of the two budgets wins.
    assert.equal(budgetGate(budget(100, 0, 1), 2).allowed, false);
  });

  test('an unknown estimate cannot be checked: it warns, and a spent month still refuses', () => {
    const unknown = budgetGate(budget(10, 1), null);
    assert.deepEqual([unknown.allowed, unknown.level], [true, 'warning']);
    assert.ok(unknown.messages.some((message) => /unknown/.test(message)));
    assert.equal(budgetGate(budget(10, 10), null).allowed, false);
  });

  test('calls with unknown prices are not counted against the budget, and the message says so', () => {
    const decision = budgetGate(budget(10, { usd: null, knownUsd: 2, unpriced: 3 }), 1);
    assert.equal(decision.level, 'ok');
    assert.ok(decision.messages.some((message) => /3 call\(s\) this month have an unknown price/.test(message)));
  });
});
