"""The loopback guard for Python client tests (az, the management SDKs): put this folder
on PYTHONPATH and name a log file in KEYLESS_GUARD_LOG.

Python imports `sitecustomize` at start-up from the first folder on sys.path that has one,
and PYTHONPATH comes first, so every Python process the test starts loads this file,
children included (az's telemetry and update checks run in child processes that inherit
the environment). It wraps name resolution (socket.getaddrinfo) and connections
(socket.socket.connect, connect_ex): a name other than localhost or a loopback address,
or a connection to any address outside 127.0.0.0/8 and ::1, is refused with an OSError,
as an unreachable network would be, and appended to the log. The test asserts the log
empty, so instance discovery (login.microsoftonline.com), IMDS (169.254.169.254),
telemetry (dc.services.visualstudio.com) or an update check (azcliprod.blob.core.windows.net)
fail the test instead of leaving the machine. Unix sockets are not touched."""
import ipaddress
import os
import socket

_LOG = os.environ.get("KEYLESS_GUARD_LOG")
_NAMES = {"localhost", "localhost.", "ip6-localhost"}


def _loopback(host):
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).strip("[]").lower()
    if host in _NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _refuse(what, host):
    line = "%s %s (pid %d)\n" % (what, host, os.getpid())
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(line)
    raise OSError(101, "loopback guard: %s %s refused" % (what, host))


_getaddrinfo = socket.getaddrinfo


def _guarded_getaddrinfo(host, *args, **kwargs):
    if not _loopback(host):
        _refuse("resolve", host)
    return _getaddrinfo(host, *args, **kwargs)


def _wrap(method):
    def guarded(self, address, *args, **kwargs):
        if self.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple) and not _loopback(address[0]):
            _refuse("connect", address[0])
        return method(self, address, *args, **kwargs)
    return guarded


socket.getaddrinfo = _guarded_getaddrinfo
socket.socket.connect = _wrap(socket.socket.connect)
socket.socket.connect_ex = _wrap(socket.socket.connect_ex)

# Debian's own sitecustomize (apport's exception hook), which this file shadows.
try:
    import apport_python_hook
except ImportError:
    pass
else:
    apport_python_hook.install()
