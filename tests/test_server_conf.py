"""The managed server's neo4j.conf: telemetry and outgoing connections off, and the user's own
neo4j-user.conf kept across the rewrite at every start."""
from __future__ import annotations

from ctkg.server import Instance


def test_browser_telemetry_is_off_and_remote_content_stays_local(session_driver):
    records, _, _ = session_driver.execute_query("CALL dbms.clientConfig()")
    config = {r["name"]: r["value"] for r in records}
    assert config["client.allow_telemetry"] == "false"
    # Browser 5.24 on Community ignores browser.allow_outgoing_connections (and 5.26 refuses
    # the key); what it may fetch (:play, :style URL) is limited to this machine instead.
    assert config["browser.remote_content_hostname_whitelist"] == "localhost,127.0.0.1"


def test_user_settings_survive_the_rewrite_but_not_the_addresses(tmp_path):
    inst = Instance(tmp_path, bolt_port=17001, http_port=17002)
    inst._write_conf()
    (tmp_path / "conf" / "neo4j-user.conf").write_text(
        "# my settings\n"
        "db.tx_log.preallocate=true\n"
        "dbms.transaction.timeout=30s\n"
        "server.bolt.listen_address=0.0.0.0:7687\n", encoding="utf-8")
    for _ in range(2):  # every start rewrites neo4j.conf
        inst._write_conf()
    lines = (tmp_path / "conf" / "neo4j.conf").read_text().splitlines()
    keys = [line.partition("=")[0] for line in lines if not line.startswith("#")]
    assert len(keys) == len(set(keys))  # one value per key: the server refuses duplicates
    assert "db.tx_log.preallocate=true" in lines and "db.tx_log.preallocate=false" not in lines
    assert "dbms.transaction.timeout=30s" in lines
    assert "server.bolt.listen_address=127.0.0.1:17001" in lines
    assert "server.bolt.listen_address=0.0.0.0:7687" not in lines
    assert Instance.at(tmp_path).bolt_port == 17001
