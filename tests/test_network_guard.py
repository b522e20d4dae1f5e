"""Unmarked tests may reach 127.0.0.1 only (tests/conftest.py); a reach further fails, naming the host."""

import socket

import pytest


def test_a_lookup_beyond_loopback_fails_naming_the_host():
    with pytest.raises(AssertionError, match=r"reached for 'github.com': mark it @pytest.mark.network"):
        socket.getaddrinfo("github.com", 443)


def test_a_connection_beyond_loopback_fails_before_it_is_made():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(AssertionError, match="192.0.2.1"):
        sock.connect(("192.0.2.1", 80))


def test_loopback_stays_open(server):
    port = int(server.url.rsplit(":", 1)[1])
    for host in ("localhost", "127.0.0.1"):
        with socket.create_connection((host, port), timeout=5):
            pass
