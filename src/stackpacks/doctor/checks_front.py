"""Runtime checks of packs 3-4 through the front door: streams unbuffered, WebSockets upgraded."""

from __future__ import annotations

from stackpacks.doctor.checks import finding
from stackpacks.doctor.checks_infra import evidence
from stackpacks.doctor.model import Finding
from stackpacks.doctor.probe_front import STREAM_INTERVAL
from stackpacks.doctor.rules import ProbeRule
from stackpacks.doctor.signals import Signals


def stream_buffered(rule: ProbeRule, signals: Signals) -> Finding | None:
    """The first event arrived late in the stream, through any hop measured. When the app's own
    hop streams and the front door's does not, the front door is the one to fix."""
    front = signals.front
    if front is None or not front.streams:
        return None
    found, hops = [], set()
    for timing in front.streams:
        if not rule.threshold.crossed(timing.first_share):
            continue
        hops.add(timing.hop)
        arrived = ", ".join(f"{t:g}" for t in timing.arrivals) or "none"
        signal = (
            f"first event's arrival / stream duration via the {timing.hop} ({timing.url}): "
            f"events at {arrived} s of {timing.ended:g} s; sent {STREAM_INTERVAL:g} s apart"
        )
        window = "one stream check"
        found.append(
            evidence(signal, timing.first_share, rule.threshold, len(timing.arrivals), 2, window)
        )
    culprit = "the app itself" if "app" in hops else "the front door"
    return finding(rule, found, culprit=culprit)


def websocket_upgrade(rule: ProbeRule, signals: Signals) -> Finding | None:
    front = signals.front
    if front is None or front.websocket is None:
        return None
    upgrade = front.websocket
    value = 1 if upgrade.accepted and upgrade.echoed else 0
    if not rule.threshold.crossed(value):
        return None
    answer = upgrade.answer
    if upgrade.accepted:  # the handshake passed; the frame did not
        answer += "; a text frame sent over it did not come back"
    signal = f"WebSocket handshakes accepted and echoing at {upgrade.url} (answer: {answer})"
    return finding(rule, [evidence(signal, value, rule.threshold, 1, 1, "one handshake")])


CHECKS = {check.__name__: check for check in (stream_buffered, websocket_upgrade)}
