import shutil
import subprocess
import tempfile
import time

import pytest

from .helpers import free_port


@pytest.fixture(scope="session")
def redis_server():
    """A private redis-server on a free port (never the shared one), stopped at the end."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("needs redis-server")
    port = free_port()
    folder = tempfile.mkdtemp(prefix="qujing-test-redis-")
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", folder], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}"
    process.terminate()
    process.wait(10)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def media_prefix():
    """Registers a test folder whose files any signed-in user may download."""
    from qujing_disclosure.core import media

    entry = ("tests-deploy/", lambda user, path: user.is_authenticated)
    media._checkers.append(entry)
    yield "tests-deploy/"
    media._checkers.remove(entry)
