"""Summaries of scores: mean, sample standard deviation and 95 % confidence interval (Student t),
overlap of two intervals (a gap between perspectives is flagged when they do not overlap), and the
effect size of a change between two waves (Cohen's d with the pooled standard deviation)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

# t(0.975, df): the two-sided 95 % quantile of Student's t distribution.
T_975: dict[int, float] = {
    1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228,
    11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086,
    21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064, 25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045, 30: 2.042,
    40: 2.021, 60: 2.000, 120: 1.980,
}  # fmt: skip
Z_975 = 1.96


def t_value(df: int) -> float:
    """t(0.975, df); between tabulated degrees of freedom the next lower one (a slightly wider,
    cautious interval); 1.96 beyond 120."""
    if df < 1:
        raise ValueError("Il faut au moins un degré de liberté.")
    if df > 120:
        return Z_975
    return T_975[max(tabulated for tabulated in T_975 if tabulated <= df)]


@dataclass(frozen=True)
class Summary:
    n: int
    mean: float | None  # None when n == 0
    sd: float | None  # sample standard deviation (n − 1); None when n < 2
    ci_low: float | None  # 95 % confidence interval of the mean; None when n < 2
    ci_high: float | None

    @property
    def has_interval(self) -> bool:
        return self.ci_low is not None and self.ci_high is not None


def summarise(scores: Sequence[float]) -> Summary:
    n = len(scores)
    if n == 0:
        return Summary(n=0, mean=None, sd=None, ci_low=None, ci_high=None)
    mean = statistics.fmean(scores)
    if n < 2:
        return Summary(n=n, mean=mean, sd=None, ci_low=None, ci_high=None)
    sd = statistics.stdev(scores)
    half = t_value(n - 1) * sd / math.sqrt(n)
    return Summary(n=n, mean=mean, sd=sd, ci_low=mean - half, ci_high=mean + half)


def summary_from_moments(n: int, mean: float | None, sd: float | None) -> Summary:
    """The same summary as ``summarise`` from the count, mean and sample standard deviation computed
    elsewhere (in SQL: ``count``, ``avg`` and ``stddev_samp``)."""
    if n == 0 or mean is None:
        return Summary(n=0, mean=None, sd=None, ci_low=None, ci_high=None)
    if n < 2 or sd is None:
        return Summary(n=n, mean=float(mean), sd=None, ci_low=None, ci_high=None)
    half = t_value(n - 1) * float(sd) / math.sqrt(n)
    return Summary(n=n, mean=float(mean), sd=float(sd), ci_low=float(mean) - half, ci_high=float(mean) + half)


def intervals_overlap(a: Summary, b: Summary) -> bool:
    """Whether the two 95 % intervals overlap. Without an interval on either side nothing can be
    said, and the answer is True (no gap is flagged)."""
    if a.ci_low is None or a.ci_high is None or b.ci_low is None or b.ci_high is None:
        return True
    return a.ci_low <= b.ci_high and b.ci_low <= a.ci_high


def effect_size(before: Sequence[float], after: Sequence[float]) -> float | None:
    """Cohen's d of the change (after − before) / pooled standard deviation; None when either group
    has fewer than two scores or the pooled standard deviation is zero."""
    n1, n2 = len(before), len(after)
    if n1 < 2 or n2 < 2:
        return None
    pooled = math.sqrt(((n1 - 1) * statistics.variance(before) + (n2 - 1) * statistics.variance(after)) / (n1 + n2 - 2))
    if pooled == 0:
        return None
    return (statistics.fmean(after) - statistics.fmean(before)) / pooled


def effect_size_between(before: Summary, after: Summary) -> float | None:
    """``effect_size`` from two summaries (count, mean, sample standard deviation), as the results
    page gets them from SQL."""
    if before.n < 2 or after.n < 2 or before.sd is None or after.sd is None:
        return None
    if before.mean is None or after.mean is None:
        return None
    n1, n2 = before.n, after.n
    pooled = math.sqrt(((n1 - 1) * before.sd**2 + (n2 - 1) * after.sd**2) / (n1 + n2 - 2))
    if pooled == 0:
        return None
    return (after.mean - before.mean) / pooled
