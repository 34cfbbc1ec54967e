from scs_hw_proxy.engine.auth import MIN_TOKEN_LENGTH, ProxySecurity

TOKEN = "k" * MIN_TOKEN_LENGTH


def test_bearer_token_accepted():
    sec = ProxySecurity.from_options(TOKEN, "https://a.test")
    assert sec.authorized(f"Bearer {TOKEN}")
    assert sec.authorized(f"bearer {TOKEN}")


def test_wrong_or_missing_token_refused():
    sec = ProxySecurity.from_options(TOKEN, "")
    for header in (None, "", TOKEN, f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer "):
        assert not sec.authorized(header)


def test_short_token_refuses_everything():
    short = "s" * (MIN_TOKEN_LENGTH - 1)
    sec = ProxySecurity.from_options(short, "")
    assert not sec.configured
    assert not sec.authorized(f"Bearer {short}")


def test_cors_echoes_only_paired_origins():
    sec = ProxySecurity.from_options(TOKEN, "https://a.test/, http://localhost:8069")
    assert sec.cors_origin("https://a.test") == "https://a.test"
    assert sec.cors_origin("http://localhost:8069") == "http://localhost:8069"
    assert sec.cors_origin("https://b.test") is None
    assert sec.cors_origin(None) is None
    assert sec.cors_origin("*") is None
