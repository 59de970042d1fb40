"""Hybrid logical clock: send/receive rules, order, packing, the server's bound."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.hlc import MAX_COUNTER, Clock, Stamp, bound


class FakeTime:
    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


stamps = st.builds(
    Stamp,
    st.integers(0, 10**13 - 1),
    st.integers(0, MAX_COUNTER),
    st.text("abcdef-0123456789", min_size=1, max_size=12),
)


def test_send_follows_wall_clock_when_it_moves_forward():
    now = FakeTime(1_000)
    clock = Clock("a", now)
    assert clock.send() == Stamp(1_000, 0, "a")
    now.ms = 1_005
    assert clock.send() == Stamp(1_005, 0, "a")


def test_send_counts_within_one_millisecond_and_when_wall_clock_goes_back():
    now = FakeTime(1_000)
    clock = Clock("a", now)
    clock.send()
    assert clock.send() == Stamp(1_000, 1, "a")
    now.ms = 900  # wall clock set backwards: stamps must still grow
    assert clock.send() == Stamp(1_000, 2, "a")


def test_counter_overflow_borrows_the_next_millisecond():
    clock = Clock("a", FakeTime(1_000), last=Stamp(1_000, MAX_COUNTER, "a"))
    assert clock.send() == Stamp(1_001, 0, "a")


def test_receive_from_the_future_jumps_past_the_remote_stamp():
    clock = Clock("a", FakeTime(1_000))
    assert clock.receive(Stamp(5_000, 7, "b")) == Stamp(5_000, 8, "a")
    assert clock.send() == Stamp(5_000, 9, "a")


def test_receive_from_the_past_only_ticks_the_local_clock():
    clock = Clock("a", FakeTime(1_000))
    clock.send()
    assert clock.receive(Stamp(10, 99, "b")) == Stamp(1_000, 1, "a")


def test_receive_with_equal_walls_takes_the_larger_counter():
    clock = Clock("a", FakeTime(1_000), last=Stamp(2_000, 3, "a"))
    assert clock.receive(Stamp(2_000, 9, "b")) == Stamp(2_000, 10, "a")


def test_receive_when_wall_clock_is_ahead_of_both_resets_counter():
    clock = Clock("a", FakeTime(9_000), last=Stamp(2_000, 3, "a"))
    assert clock.receive(Stamp(2_500, 9, "b")) == Stamp(9_000, 0, "a")


# A stamp in the last representable millisecond (the year 2286) cannot be
# exceeded; devices never get there (the server bounds their clocks), and
# that one is tested on its own below.
below_the_end = stamps.filter(lambda s: s.wall_ms < 10**13 - 1)


@given(st.lists(st.one_of(st.integers(0, 5_000), below_the_end), max_size=40))
def test_stamps_strictly_increase_and_exceed_every_received_stamp(events):
    now = FakeTime(0)
    clock = Clock("me", now)
    previous = None
    for event in events:
        if isinstance(event, int):
            now.ms = event  # wall clock jumps around, backwards too
            stamp = clock.send()
        else:
            stamp = clock.receive(event)
            assert (stamp.wall_ms, stamp.counter) > (event.wall_ms, event.counter)
        assert previous is None or stamp > previous
        previous = stamp


def test_a_stamp_at_the_end_of_representable_time_cannot_be_exceeded():
    clock = Clock("me", FakeTime(0))
    with pytest.raises(ValueError, match="wall_ms"):
        clock.receive(Stamp(10**13 - 1, MAX_COUNTER, "z"))


def test_total_order_is_wall_then_counter_then_node():
    assert Stamp(1, 9, "z") < Stamp(2, 0, "a")
    assert Stamp(1, 1, "z") < Stamp(1, 2, "a")
    assert Stamp(1, 1, "a") < Stamp(1, 1, "b")


@given(stamps)
def test_pack_parse_round_trip(stamp):
    assert Stamp.parse(stamp.pack()) == stamp


@given(stamps, stamps)
def test_packed_text_sorts_like_stamps(a, b):
    assert (a.pack() < b.pack()) == (a < b)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "garbage",
        "0000000001000-00000-",
        "000000001000-00000-a",
        "0000000001000-0000a-a",
        "0000000001000_00000-a",
        "٠٠٠٠٠٠٠٠٠١٠٠٠-00000-a",
        None,
        12,
    ],
)
def test_parse_rejects_malformed_text_with_a_clear_error(text):
    with pytest.raises(ValueError, match="stamp must"):
        Stamp.parse(text)


@pytest.mark.parametrize(
    ("wall", "counter", "node"),
    [(-1, 0, "a"), (10**13, 0, "a"), (0, -1, "a"), (0, 10**5, "a"), (0, 0, "")],
)
def test_stamps_outside_the_packed_width_are_refused(wall, counter, node):
    with pytest.raises(ValueError):
        Stamp(wall, counter, node)


def test_bound_keeps_a_stamp_within_the_drift():
    stamp = Stamp(10_500, 3, "a")
    assert bound(stamp, server_now_ms=10_000, max_drift_ms=1_000) == (stamp, 500)


def test_bound_clamps_a_stamp_far_ahead_and_reports_the_skew():
    year_ms = 365 * 24 * 3600 * 1000
    effective, skew = bound(Stamp(10_000 + year_ms, 3, "a"), 10_000, 1_000)
    assert effective == Stamp(11_000, 3, "a")
    assert skew == year_ms


def test_bound_reports_no_skew_for_old_stamps():
    stamp = Stamp(1_000, 0, "a")
    assert bound(stamp, server_now_ms=50_000, max_drift_ms=1_000) == (stamp, 0)
