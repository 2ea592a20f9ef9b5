"""Statistics verified by hand: mean, sample SD, 95 % interval with Student's t, overlap, Cohen's d."""

from __future__ import annotations

import math
import statistics

import pytest

from pairs.observatory.engine import (
    Summary,
    effect_size,
    effect_size_between,
    intervals_overlap,
    summarise,
    summary_from_moments,
    t_value,
)


def test_summary_of_five_scores_with_the_t_value_for_four_degrees_of_freedom():
    summary = summarise([2.0, 3.0, 4.0, 5.0, 6.0])
    # n = 5; mean = 20 / 5 = 4
    # deviations −2, −1, 0, 1, 2 → squares 4 + 1 + 0 + 1 + 4 = 10; variance 10 / (5 − 1) = 2.5
    # sd = √2.5 = 1.58114; standard error = 1.58114 / √5 = 0.70711
    # t(0.975, df = 4) = 2.776 → half-width 2.776 × 0.70711 = 1.96293
    # interval 4 − 1.96293 = 2.03707 to 4 + 1.96293 = 5.96293
    assert summary.n == 5
    assert summary.mean == 4.0
    assert summary.sd == pytest.approx(1.58114, abs=1e-5)
    assert summary.ci_low == pytest.approx(2.03707, abs=1e-5)
    assert summary.ci_high == pytest.approx(5.96293, abs=1e-5)
    assert summary.has_interval


def test_small_and_constant_samples():
    assert summarise([]) == Summary(n=0, mean=None, sd=None, ci_low=None, ci_high=None)
    # one score: a mean but no spread and no interval
    assert summarise([3.5]) == Summary(n=1, mean=3.5, sd=None, ci_low=None, ci_high=None)
    # identical scores: sd 0, the interval shrinks to the mean
    assert summarise([3.0, 3.0, 3.0]) == Summary(n=3, mean=3.0, sd=0.0, ci_low=3.0, ci_high=3.0)


def test_two_scores_use_t_for_one_degree_of_freedom():
    summary = summarise([1.0, 3.0])
    # mean 2; variance ((−1)² + 1²) / 1 = 2; sd √2; se √2 / √2 = 1; half-width 12.706 × 1
    assert summary.ci_low == pytest.approx(2 - 12.706)
    assert summary.ci_high == pytest.approx(2 + 12.706)


@pytest.mark.parametrize(
    ("df", "t"),
    [(1, 12.706), (4, 2.776), (9, 2.262), (30, 2.042), (35, 2.042), (40, 2.021), (59, 2.021), (60, 2.000),
     (119, 2.000), (120, 1.980), (121, 1.96), (5000, 1.96)],
)  # fmt: skip
def test_t_values_from_the_table(df, t):
    # between tabulated degrees of freedom, the next lower one (a slightly wider interval)
    assert t_value(df) == t


def test_t_needs_a_degree_of_freedom():
    with pytest.raises(ValueError, match=r"^Il faut au moins un degré de liberté\.$"):
        t_value(0)


def test_interval_overlap():
    low = Summary(n=5, mean=2.0, sd=1.0, ci_low=1.5, ci_high=2.5)
    touching = Summary(n=5, mean=3.0, sd=1.0, ci_low=2.5, ci_high=3.5)
    high = Summary(n=5, mean=4.0, sd=1.0, ci_low=3.6, ci_high=4.4)
    single = Summary(n=1, mean=9.0, sd=None, ci_low=None, ci_high=None)
    assert intervals_overlap(low, touching)  # 2.5 ≤ 2.5
    assert not intervals_overlap(low, high)  # 2.5 < 3.6: a gap is flagged
    assert not intervals_overlap(high, low)
    assert intervals_overlap(low, single)  # no interval: nothing to flag


def test_effect_size_with_equal_groups():
    before = [2.0, 3.0, 4.0, 5.0, 6.0]  # mean 4, variance 2.5
    after = [4.0, 5.0, 6.0, 7.0, 8.0]  # mean 6, variance 2.5
    # pooled sd = √((4 × 2.5 + 4 × 2.5) / (5 + 5 − 2)) = √2.5 = 1.58114
    # d = (6 − 4) / 1.58114 = 1.26491
    assert effect_size(before, after) == pytest.approx(1.26491, abs=1e-5)
    assert effect_size(after, before) == pytest.approx(-1.26491, abs=1e-5)


def test_effect_size_with_unequal_groups():
    before = [1.0, 2.0, 3.0]  # mean 2, variance (1 + 0 + 1) / 2 = 1
    after = [2.0, 4.0, 6.0, 8.0]  # mean 5, variance (9 + 1 + 1 + 9) / 3 = 6.667
    # pooled sd = √((2 × 1 + 3 × 6.667) / (3 + 4 − 2)) = √(22 / 5) = √4.4 = 2.09762
    # d = (5 − 2) / 2.09762 = 1.43019
    assert effect_size(before, after) == pytest.approx(3 / math.sqrt(4.4))
    assert effect_size(before, after) == pytest.approx(1.43019, abs=1e-5)


def test_effect_size_undefined():
    assert effect_size([1.0], [2.0, 3.0]) is None  # fewer than two scores
    assert effect_size([2.0, 2.0], [2.0, 2.0]) is None  # no spread at all


def test_summary_from_sql_moments_matches_the_summary_of_the_scores():
    # The results page gets count, avg and stddev_samp from PostgreSQL: same interval as from the list.
    scores = [2.0, 3.0, 3.5, 4.0, 4.5]
    from_list = summarise(scores)
    from_moments = summary_from_moments(5, statistics.fmean(scores), statistics.stdev(scores))
    assert from_moments == from_list
    assert summary_from_moments(0, None, None).mean is None
    assert summary_from_moments(1, 3.0, None) == summarise([3.0])


def test_effect_size_between_summaries_matches_the_effect_size_of_the_scores():
    before, after = [2.0, 3.0, 4.0], [3.0, 4.0, 5.0, 4.0]
    # pooled sd = sqrt((2 × 1 + 3 × 0.6667) / 5) = sqrt(0.8) = 0.8944; d = (4 − 3) / 0.8944 = 1.118
    d = effect_size_between(summarise(before), summarise(after))
    assert d == pytest.approx(effect_size(before, after))
    assert d == pytest.approx(1.118, abs=0.001)
    assert effect_size_between(summarise([1.0]), summarise(after)) is None
