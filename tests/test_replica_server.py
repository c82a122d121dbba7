"""The replica web answers as a forward proxy: plain http, https through CONNECT, unknown hosts as 502."""

import socket
import ssl
import struct
import time
import urllib.error
import urllib.request

import pytest
from cryptography import x509

from replica.server import ReplicaResponse, ReplicaServer, ReplicaWeb


class EchoSite:
    hosts = ("www.example.gov.cn",)

    def respond(self, request):
        body = f"{request.method} {request.url} {request.body.decode()}"
        return ReplicaResponse(200, body.encode(), [("Content-Type", "text/plain")])


@pytest.fixture(scope="module")
def proxy():
    server = ReplicaServer(ReplicaWeb([EchoSite()]))
    server.start_in_thread()
    yield server.proxy_url
    server.shutdown()
    server.server_close()


def opener(proxy_url):
    insecure = ssl.create_default_context()
    insecure.check_hostname = False
    insecure.verify_mode = ssl.CERT_NONE
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({"http": proxy_url, "https": proxy_url}),
        urllib.request.HTTPSHandler(context=insecure),
    )


def test_plain_http_request_reaches_the_site_under_its_real_url(proxy):
    body = opener(proxy).open("http://www.example.gov.cn/col/col1/index.html?x=1", timeout=10).read().decode()
    assert body == "GET http://www.example.gov.cn/col/col1/index.html?x=1 "


def test_https_is_tunnelled_and_answered_over_tls(proxy):
    request = urllib.request.Request("https://www.example.gov.cn/module/dataproxy.jsp", data=b"columnid=7")
    body = opener(proxy).open(request, timeout=10).read().decode()
    assert body == "POST https://www.example.gov.cn/module/dataproxy.jsp columnid=7"


def test_the_certificate_names_the_replica_hosts(proxy):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    host, port = proxy.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        raw.sendall(b"CONNECT www.example.gov.cn:443 HTTP/1.1\r\nHost: www.example.gov.cn:443\r\n\r\n")
        assert b" 200 " in raw.recv(1024)
        with context.wrap_socket(raw, server_hostname="www.example.gov.cn") as tls:
            cert = x509.load_der_x509_certificate(tls.getpeercert(binary_form=True))
            server_cert_names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "www.example.gov.cn" in server_cert_names.get_values_for_type(x509.DNSName)


def test_unknown_host_is_a_bad_gateway(proxy):
    with pytest.raises(urllib.error.HTTPError) as error:
        opener(proxy).open("http://nowhere.gov.cn/", timeout=10)
    assert error.value.code == 502


def test_a_client_hanging_up_mid_request_is_routine_not_a_traceback(proxy, capfd):
    host, port = proxy.removeprefix("http://").split(":")
    raw = socket.create_connection((host, int(port)), timeout=10)
    raw.sendall(b"GET http://www.example.gov.cn/ HTTP/1.1\r\nHost: www.e")
    # Linger 0: close with a reset, as a crawl that times out or a browser that drops a connection does.
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    raw.close()
    time.sleep(0.3)  # the reset reaches the server's handler thread
    # The server still answers, and said nothing about the reset.
    assert opener(proxy).open("http://www.example.gov.cn/", timeout=10).read()
    assert "Traceback" not in capfd.readouterr().err
