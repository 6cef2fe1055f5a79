import gc
import weakref

import pytest

from ctkg.memory import collector_paused


@pytest.fixture(autouse=True)
def collector_back_on():
    yield
    gc.enable()


def test_the_collector_is_off_in_the_block_and_back_on_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_in_the_block_turns_the_collector_back_on():
    with pytest.raises(RuntimeError):
        with collector_paused():
            raise RuntimeError("bad article")
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off():
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_cycles_made_in_the_block_are_collected_after_it():
    class Node:
        pass

    with collector_paused():
        a, b = Node(), Node()
        a.other, b.other = b, a
        ref = weakref.ref(a)
        del a, b
        assert ref() is not None  # reference counting cannot free a cycle
    gc.collect()
    assert ref() is None


def test_the_streaming_thresholds_hold_in_the_block_only():
    from ctkg.memory import STREAMING_THRESHOLDS, streaming_collector

    before = gc.get_threshold()
    with pytest.raises(RuntimeError):
        with streaming_collector():
            assert gc.get_threshold() == (*STREAMING_THRESHOLDS, before[2])
            raise RuntimeError("the database went away")
    assert gc.get_threshold() == before
