from django.test import RequestFactory, override_settings

from qujing_disclosure.core.clientip import client_ip

rf = RequestFactory()


def test_without_a_proxy_the_peer_address_is_the_client():
    request = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert client_ip(request) == "203.0.113.9"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_appended_is_the_client():
    # The client forged "1.1.1.1"; the proxy appended the real address last.
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7")
    assert client_ip(request) == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_two_visitors_behind_the_proxy_get_separate_rate_limits():
    from django_ratelimit.core import get_usage

    def usage(address):
        request = rf.post("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address)
        return get_usage(request, group="test-clientip", key="ip", rate="1/h", method="POST", increment=True)

    assert usage("198.51.100.7")["should_limit"] is False
    assert usage("198.51.100.7")["should_limit"] is True
    assert usage("198.51.100.8")["should_limit"] is False


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_missing_header_falls_back_to_the_peer():
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
