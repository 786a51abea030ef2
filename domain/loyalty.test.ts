import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_LOYALTY, creditExpiry, formatPoints, ledgerBalance, loyaltySettingsOf, nextExpiry, nextTier, openLots, pointsExpiringBy,
  pointsForPayment, pointsInLast12Months, pointsToReverse, redeemRefusal, tierFor, type LedgerEntry,
} from './loyalty';

const day = (d: string) => new Date(`${d}T12:00:00Z`);

describe('loyalty rules', () => {
  it('earns whole points on what was paid, rounded down; nothing when off', () => {
    expect(pointsForPayment(123456, 1)).toBe(1234);
    expect(pointsForPayment(1001, 1.5)).toBe(15);
    expect(pointsForPayment(99, 1)).toBe(0);
    expect(pointsForPayment(50000, 0)).toBe(0);
    expect(pointsForPayment(-100, 1)).toBe(0);
  });

  it('refunds take back in proportion, and a full refund in parts takes back exactly the credit (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 100_000 }), fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 6 }), (amount, credited, weights) => {
      const total = weights.reduce((a, b) => a + b, 0);
      const parts = weights.map((w) => Math.floor((amount * w) / total));
      parts[parts.length - 1]! += amount - parts.reduce((a, b) => a + b, 0);
      let before = 0;
      let back = 0;
      for (const r of parts) {
        const p = pointsToReverse(credited, amount, before, r);
        expect(p).toBeGreaterThanOrEqual(0);
        back += p;
        before += r;
      }
      expect(back).toBe(credited);
    }), { numRuns: 1000 });
    expect(pointsToReverse(1234, 123456, 0, 23456)).toBe(234);
  });

  it('tiers by the points of the last 12 months, with the next tier', () => {
    const t = DEFAULT_LOYALTY.tiers;
    expect([0, 999, 1000, 2999, 3000, 6000].map((p) => tierFor(p, t))).toEqual(['bronze', 'bronze', 'prata', 'prata', 'ouro', 'platina']);
    expect(nextTier(2500, t)).toEqual({ tier: 'ouro', missing: 500 });
    expect(nextTier(7000, t)).toBeNull();
    const ledger: LedgerEntry[] = [
      { kind: 'creditados', points: 800, at: day('2025-11-01') },
      { kind: 'creditados', points: 700, at: day('2026-06-01') },
      { kind: 'estornados', points: 100, at: day('2026-06-10') },
      { kind: 'resgatados', points: 500, at: day('2026-07-01') },
    ];
    expect(pointsInLast12Months(ledger, day('2026-12-01'))).toBe(600); // the 2025 credit is out of the window; redemptions do not lower the tier
  });

  it('expires the oldest unspent points first', () => {
    const ledger: LedgerEntry[] = [
      { kind: 'creditados', points: 300, at: day('2025-01-10'), expiresAt: day('2026-01-10') },
      { kind: 'creditados', points: 200, at: day('2025-06-10'), expiresAt: day('2026-06-10') },
      { kind: 'resgatados', points: 250, at: day('2025-07-01') },
    ];
    expect(openLots(ledger).map((l) => l.remaining)).toEqual([50, 200]);
    expect(pointsExpiringBy(ledger, day('2026-01-10'))).toBe(50);
    expect(pointsExpiringBy(ledger, day('2026-06-10'))).toBe(250);
    expect(nextExpiry(ledger, day('2025-12-01'))).toEqual({ at: day('2026-01-10'), points: 50 });
    const afterExpiry = [...ledger, { kind: 'expirados' as const, points: 50, at: day('2026-01-10') }];
    expect(pointsExpiringBy(afterExpiry, day('2026-01-10'))).toBe(0);
    expect(ledgerBalance(afterExpiry)).toBe(200);
    expect(creditExpiry(day('2026-01-31'), 1)?.toISOString().slice(0, 10)).toBe('2026-03-03');
    expect(creditExpiry(day('2026-01-31'), 0)).toBeNull();
  });

  it('the balance is the ledger\'s sum, and never negative when debits only take what is there (property)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('creditados' as const), points: fc.integer({ min: 1, max: 5000 }) }),
      fc.record({ kind: fc.constantFrom('resgatados' as const, 'expirados' as const, 'estornados' as const), points: fc.integer({ min: 1, max: 5000 }) }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
      const ledger: LedgerEntry[] = [];
      let balance = 0;
      ops.forEach((o, i) => {
        const at = new Date(Date.UTC(2026, 0, 1 + i));
        // What the services do: a debit takes at most the balance (a reward is refused, an expiry or a reversal is capped).
        const points = o.kind === 'creditados' ? o.points : Math.min(o.points, balance);
        if (points <= 0) return;
        ledger.push({ kind: o.kind, points, at });
        balance += o.kind === 'creditados' ? points : -points;
        expect(balance).toBeGreaterThanOrEqual(0);
        expect(ledgerBalance(ledger)).toBe(balance);
        expect(openLots(ledger).reduce((s, l) => s + l.remaining, 0)).toBe(balance);
      });
    }), { numRuns: 1000 });
  });

  it('refuses a reward for what it is, in order', () => {
    const r = { active: true, pointsRequired: 500, maxUses: 1, usedByPatient: 0 };
    expect(redeemRefusal(500, r)).toBeNull();
    expect(redeemRefusal(499, r)).toBe('insufficient_points');
    expect(redeemRefusal(900, { ...r, usedByPatient: 1 })).toBe('reward_max_uses');
    expect(redeemRefusal(900, { ...r, active: false })).toBe('reward_inactive');
    expect(redeemRefusal(900, { ...r, maxUses: null, usedByPatient: 10 })).toBeNull();
  });

  it('reads the clinic settings with safe defaults for corrupted values', () => {
    expect(loyaltySettingsOf({ loyaltyPointsPerReal: 2 })).toEqual({ ...DEFAULT_LOYALTY, pointsPerReal: 2 });
    expect(loyaltySettingsOf({ loyaltyPointsPerReal: 2, loyalty: { pointsPerReal: 0.5, expiryMonths: 6 } })).toMatchObject({ pointsPerReal: 0.5, expiryMonths: 6 });
    expect(loyaltySettingsOf({ loyaltyPointsPerReal: -3, loyalty: { expiryMonths: 500, tiers: { prata: 5000, ouro: 100, platina: 9000 } } })).toEqual(DEFAULT_LOYALTY);
    expect(loyaltySettingsOf(null)).toEqual(DEFAULT_LOYALTY);
    expect(loyaltySettingsOf({ loyalty: 'x' })).toEqual(DEFAULT_LOYALTY);
    expect(formatPoints(1)).toBe('1 ponto');
    expect(formatPoints(1234)).toBe('1.234 pontos');
  });
});

describe('loyalty messages', () => {
  it('writes the expiry notice, the tier-up and the balance in pt-BR', async () => {
    const { expiryNoticeText, tierUpText, balanceText, asksForBalance } = await import('./loyalty');
    const { normalizeText } = await import('./text');
    expect(expiryNoticeText({ patientName: 'Ana Lima', clinicName: 'Clínica Bella', points: 1200, expiresOn: '2027-01-15', balance: 1500 }))
      .toBe('Olá, Ana! Seus pontos na Clínica Bella: 1.200 pontos vencem em 15/01/2027. Seu saldo hoje é de 1.500 pontos; troque por uma recompensa no seu próximo atendimento. Responda SALDO para ver as recompensas.');
    expect(tierUpText({ patientName: 'Ana', clinicName: 'Clínica Bella', tier: 'ouro' })).toContain('Você agora é nível Ouro');
    const b = balanceText({ patientName: 'Ana', balance: 600, tier: 'bronze', next: { tier: 'prata', missing: 400 }, expiry: null, rewards: [{ name: 'R$ 50 de desconto', pointsRequired: 500 }, { name: 'Cortesia', pointsRequired: 1200 }] });
    expect(b).toBe('Olá, Ana! Seu saldo é de 600 pontos (nível Bronze).\nFaltam 400 pontos para o nível Prata.\nVocê já pode trocar por: R$ 50 de desconto (500 pontos). Peça na recepção no seu próximo atendimento.');
    for (const t of ['Saldo', 'meus pontos', 'Quantos pontos eu tenho?', 'SALDO']) expect([t, asksForBalance(normalizeText(t))]).toEqual([t, true]);
    for (const t of ['quero agendar', 'saldo devedor do cartão? não', '1']) expect([t, asksForBalance(normalizeText(t))]).toEqual([t, false]);
  });
});
