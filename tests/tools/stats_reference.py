#!/usr/bin/env python3
"""Reference values for tests/tst_stats.cpp, computed with Python's standard library only (no SciPy, no project
code): exact rational arithmetic where it is cheap (U distribution counts, Fisher's tables, the bootstrap
enumeration), statistics.NormalDist for the normal distribution, and a continued fraction for Student's t.
Run once; its output is pasted into the test next to the checks that use it.

    python3 tests/tools/stats_reference.py
"""
import itertools
import math
from fractions import Fraction
from functools import lru_cache
from statistics import NormalDist

N01 = NormalDist()


def z_of(p):
    return N01.inv_cdf(p)


# ---- Mann-Whitney U -------------------------------------------------------------------------------------------
def u_of_b(a, b):
    """Pairs with b > a, ties counting one half, by brute force over all pairs."""
    u = Fraction(0)
    for x in a:
        for y in b:
            if y > x:
                u += 1
            elif y == x:
                u += Fraction(1, 2)
    return u


def tie_term(a, b):
    counts = {}
    for v in list(a) + list(b):
        counts[v] = counts.get(v, 0) + 1
    return sum(t ** 3 - t for t in counts.values())


@lru_cache(maxsize=None)
def arrangements(m, n, u):
    """Orderings of m a's and n b's (no ties) in which b wins exactly u pairs: integer counts."""
    if u < 0:
        return 0
    if m == 0 or n == 0:
        return 1 if u == 0 else 0
    # the largest value is a b (it wins m pairs) or an a
    return arrangements(m, n - 1, u - m) + arrangements(m - 1, n, u)


def exact_u_cdf(m, n, u):
    total = math.comb(m + n, m)
    return Fraction(sum(arrangements(m, n, k) for k in range(0, u + 1)), total)


def mann_whitney(a, b):
    m, n = len(a), len(b)
    u = u_of_b(a, b)
    ties = tie_term(a, b)
    if ties == 0 and m * n <= 2500:
        k = int(u)
        lower = exact_u_cdf(m, n, k)
        upper = 1 - (exact_u_cdf(m, n, k - 1) if k > 0 else 0)
        return float(u), min(1.0, 2 * float(min(lower, upper))), True
    N = m + n
    var = m * n / 12 * ((N + 1) - ties / (N * (N - 1)))
    if var <= 0:
        return float(u), 1.0, False
    dist = max(0.0, abs(float(u) - m * n / 2) - 0.5)
    z = dist / math.sqrt(var)
    return float(u), min(1.0, 2 * (1 - N01.cdf(z))), False


def hodges_lehmann(a, b, conf=0.95):
    diffs = sorted(y - x for x in a for y in b)
    P = len(diffs)
    est = diffs[P // 2] if P % 2 else (diffs[P // 2 - 1] + diffs[P // 2]) / 2
    m, n = len(a), len(b)
    alpha = 1 - conf
    if tie_term(a, b) == 0 and m * n <= 2500:
        c = 0
        while c <= m * n and exact_u_cdf(m, n, c) <= Fraction(alpha / 2):
            c += 1
    else:
        N = m + n
        var = m * n / 12 * ((N + 1) - tie_term(a, b) / (N * (N - 1)))
        below = m * n / 2 - z_of(1 - alpha / 2) * math.sqrt(var)
        c = math.floor(below) if below >= 1 else 0
    if 1 <= c <= P // 2:
        return est, diffs[c - 1], diffs[P - c]
    return est, float("nan"), float("nan")


# ---- proportions ----------------------------------------------------------------------------------------------
def wilson(k, n, conf=0.95):
    z = z_of(1 - (1 - conf) / 2)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def newcombe(ka, na, kb, nb, conf=0.95):
    pa, pb = ka / na, kb / nb
    la, ua = wilson(ka, na, conf)
    lb, ub = wilson(kb, nb, conf)
    d = pb - pa
    return d - math.sqrt((pb - lb) ** 2 + (ua - pa) ** 2), d + math.sqrt((ub - pb) ** 2 + (pa - la) ** 2)


def z_test(ka, na, kb, nb):
    pooled = (ka + kb) / (na + nb)
    se = math.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
    if se == 0:
        return 1.0
    z = (kb / nb - ka / na) / se
    return min(1.0, 2 * (1 - N01.cdf(abs(z))))


def fisher(ka, na, kb, nb):
    events, total = ka + kb, na + nb

    def prob(x):
        return Fraction(math.comb(na, x) * math.comb(nb, events - x), math.comb(total, events))

    observed = prob(ka)
    p = sum(prob(x) for x in range(max(0, events - nb), min(events, na) + 1) if prob(x) <= observed)
    return float(p)


# ---- Welch's t-test -------------------------------------------------------------------------------------------
def betacf(a, b, x):
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
        d = 1 + aa * d
        d = 1 / (d if abs(d) > tiny else tiny)
        c = 1 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
        d = 1 + aa * d
        d = 1 / (d if abs(d) > tiny else tiny)
        c = 1 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-16:
            break
    return h


def reg_inc_beta(a, b, x):
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return front * betacf(a, b, x) / a
    return 1 - front * betacf(b, a, 1 - x) / b


def t_two_sided(t, df):
    return reg_inc_beta(df / 2, 0.5, df / (df + t * t))


def t_quantile(p, df):
    lo, hi = 0.0, 1000.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if 1 - t_two_sided(mid, df) / 2 < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def welch(a, b, conf=0.95):
    na, nb = len(a), len(b)
    ma, mb = sum(a) / na, sum(b) / nb
    va = sum((x - ma) ** 2 for x in a) / (na - 1)
    vb = sum((x - mb) ** 2 for x in b) / (nb - 1)
    se2 = va / na + vb / nb
    d = mb - ma
    t = d / math.sqrt(se2)
    df = se2 ** 2 / ((va / na) ** 2 / (na - 1) + (vb / nb) ** 2 / (nb - 1))
    q = t_quantile(1 - (1 - conf) / 2, df)
    return d, t, df, t_two_sided(t, df), d - q * math.sqrt(se2), d + q * math.sqrt(se2)


# ---- bootstrap: the exact distribution of a resample's type-7 percentile, by enumeration ----------------------
def type7(sorted_values, p):
    h = (len(sorted_values) - 1) * p
    lo = math.floor(h)
    frac = h - lo
    if frac > 0 and lo + 1 < len(sorted_values):
        return sorted_values[lo] + frac * (sorted_values[lo + 1] - sorted_values[lo])
    return sorted_values[lo]


def resample_distribution(x, p):
    dist = {}
    n = len(x)
    for idx in itertools.product(range(n), repeat=n):
        v = type7(sorted(x[i] for i in idx), p)
        dist[v] = dist.get(v, 0) + Fraction(1, n ** n)
    return sorted(dist.items())


# ---- sample sizes ---------------------------------------------------------------------------------------------
def extra(n_a_needed, na, nb):
    k = nb / na
    return max(0, math.ceil(n_a_needed * (1 + k) - (na + nb)))


def more_rows_proportions(pa, na, pb, nb, alpha=0.05, power=0.8):
    k = nb / na
    pbar = (pa + k * pb) / (1 + k)
    first = z_of(1 - alpha / 2) * math.sqrt(pbar * (1 - pbar) * (1 + 1 / k))
    second = z_of(power) * math.sqrt(pa * (1 - pa) + pb * (1 - pb) / k)
    return extra((first + second) ** 2 / (pb - pa) ** 2, na, nb)


def more_rows_means(sda, na, sdb, nb, diff, alpha=0.05, power=0.8):
    k = nb / na
    z = z_of(1 - alpha / 2) + z_of(power)
    return extra(z * z * (sda ** 2 + sdb ** 2 / k) / diff ** 2, na, nb)


def more_rows_rank(prob, na, nb, alpha=0.05, power=0.8):
    c = na / (na + nb)
    z = z_of(1 - alpha / 2) + z_of(power)
    return max(0, math.ceil(z * z / (12 * c * (1 - c) * (prob - 0.5) ** 2) - (na + nb)))


def bh(ps):
    order = sorted(range(len(ps)), key=lambda i: ps[i])
    m = len(ps)
    out = [0.0] * m
    running = 1.0
    for rank in range(m - 1, -1, -1):
        i = order[rank]
        running = min(running, ps[i] * m / (rank + 1))
        out[i] = running
    return out


def main():
    print("# Mann-Whitney U: (U of b, two-sided p, exact?)")
    a1 = [1.1, 2.2, 2.2, 3.5, 4.0, 5.1, 6.3, 7.7]
    b1 = [2.2, 3.5, 4.8, 6.0, 7.7, 8.1, 9.4, 10.2, 11.0]
    print("ties", mann_whitney(a1, b1), "HL", hodges_lehmann(a1, b1))
    a2 = [0.8, 1.9, 2.4, 3.7, 5.2]
    b2 = [2.9, 4.1, 6.0, 6.6, 7.3, 8.8]
    print("exact", mann_whitney(a2, b2), "HL", hodges_lehmann(a2, b2))
    a3 = [((i * 7919) % 1000) / 10.0 for i in range(60)]
    b3 = [((j * 104729) % 1000) / 10.0 + 5 for j in range(70)]
    print("formula", mann_whitney(a3, b3), "ties", tie_term(a3, b3), "HL", hodges_lehmann(a3, b3))
    a4 = [((i * 37) % 53) * 1.0 for i in range(40)]
    b4 = [((j * 41) % 59) * 1.0 + 0.5 for j in range(45)]
    print("exact 40x45", mann_whitney(a4, b4), "HL", hodges_lehmann(a4, b4))
    a5 = [float(((i * 7919) % 1000) // 100) for i in range(60)]
    b5 = [float(((j * 104729) % 1000) // 90) for j in range(70)]
    print("integers with ties", mann_whitney(a5, b5), "ties", tie_term(a5, b5), "HL", hodges_lehmann(a5, b5))
    print("all equal", mann_whitney([3.0, 3.0, 3.0], [3.0, 3.0]))
    print("one each", mann_whitney([1.0], [2.0]))
    print()
    print("# proportions")
    for k, n in [(81, 263), (15, 148), (0, 20), (1, 29), (20, 20)]:
        print("wilson", k, n, wilson(k, n))
    print("newcombe 48/80 -> 56/70", newcombe(48, 80, 56, 70))
    print("newcombe 0/10 -> 0/25", newcombe(0, 10, 0, 25), "10/10 -> 0/20", newcombe(10, 10, 0, 20))
    print("z 45/500 vs 70/500", z_test(45, 500, 70, 500), "newcombe", newcombe(45, 500, 70, 500))
    print("fisher 3/4 vs 1/4", fisher(3, 4, 1, 4))
    print("fisher 0/10 vs 10/10", fisher(0, 10, 10, 10))
    print("fisher 2/200 vs 9/150", fisher(2, 200, 9, 150), "newcombe", newcombe(2, 200, 9, 150))
    print("fisher 0/40 vs 0/30", fisher(0, 40, 0, 30))
    print()
    print("# Welch: (diff, t, df, p, ci low, ci high)")
    wa = [4, 5, 3, 4, 5, 2, 4]
    wb = [3, 2, 3, 1, 2, 3, 2, 4]
    print("welch", welch(wa, wb))
    print("welch one constant side", welch([5, 5, 5, 5], [4, 5, 3, 4]))
    print()
    print("# bootstrap: exact distribution of a resample's type-7 percentile")
    x = [1.0, 2.0, 4.0, 8.0]
    for p in (0.5, 0.25, 0.95):
        print("p", p, [(v, float(w)) for v, w in resample_distribution(x, p)])
    print()
    print("# sample sizes (extra rows over both sides)")
    print("proportions .05 vs .10, 100+100:", more_rows_proportions(0.05, 100, 0.10, 100))
    print("proportions .08 vs .16, 1000+150:", more_rows_proportions(0.08, 1000, 0.16, 150))
    print("means sd 1, diff .5, 20+20:", more_rows_means(1, 20, 1, 20, 0.5))
    print("means sd 1.2/0.8, diff .3, 50+25:", more_rows_means(1.2, 50, 0.8, 25, 0.3))
    print("rank P=.6, 50+50:", more_rows_rank(0.6, 50, 50))
    print("rank P=.45, 300+100:", more_rows_rank(0.45, 300, 100))
    print()
    print("# Benjamini-Hochberg")
    print(bh([0.01, 0.04, 0.03, 0.005, 0.2]))


main()
