#!/usr/bin/python3
"""File-transfer servers for the tests, on loopback only: FTP and FTPS (Debian's python3-pyftpdlib)
and SFTP (python3-asyncssh), all serving ROOT. Makes its own keys and certificate in KEYS, prints
one JSON line when ready, and runs until its standard input closes.

    transfer_servers.py ROOT KEYS  ->  {"ftp": PORT, "ftps": PORT, "sftp": PORT, "user": ..,
        "password_file": .., "client_key": .., "host_key_sha256": .., "known_hosts": .., "ca_file": ..}
"""
import asyncio
import datetime
import ipaddress
import json
import logging
import os
import sys
import threading

import asyncssh
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler, TLS_FTPHandler
from pyftpdlib.ioloop import IOLoop
from pyftpdlib.servers import FTPServer

USER, PASSWORD = "unyo", "transfer-secret"


def certificate(keys):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.utcnow()
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    pem = os.path.join(keys, "ftps.pem")
    with open(pem, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                  serialization.NoEncryption()))
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    ca = os.path.join(keys, "ca.pem")
    with open(ca, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    return pem, ca


def ftp_server(root, handler_base, certfile=None):
    authorizer = DummyAuthorizer()
    authorizer.add_user(USER, PASSWORD, root, perm="elradfmwMT")
    handler = type("Handler", (handler_base,), {"authorizer": authorizer, "passive_ports": None})
    if certfile:
        handler.certfile = certfile
        handler.tls_control_required = True
        handler.tls_data_required = True
    server = FTPServer(("127.0.0.1", 0), handler, ioloop=IOLoop())
    port = server.socket.getsockname()[1]
    threading.Thread(target=server.serve_forever, kwargs={"handle_exit": False}, daemon=True).start()
    return port


async def main():
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("pyftpdlib").setLevel(logging.WARNING)
    root, keys = sys.argv[1], sys.argv[2]
    os.makedirs(keys, exist_ok=True)
    os.makedirs(root, exist_ok=True)
    password_file = os.path.join(keys, "password")
    with open(password_file, "w") as f:
        f.write(PASSWORD + "\n")
    pem, ca = certificate(keys)
    ftp = ftp_server(root, FTPHandler)
    ftps = ftp_server(root, TLS_FTPHandler, pem)

    host_key = asyncssh.generate_private_key("ssh-ed25519")
    client_key = asyncssh.generate_private_key("ssh-ed25519")
    client_key_file = os.path.join(keys, "id_ed25519")
    client_key.write_private_key(client_key_file, "openssh")
    os.chmod(client_key_file, 0o600)
    client_key.write_public_key(client_key_file + ".pub")

    class Sftp(asyncssh.SFTPServer):
        def __init__(self, chan):
            super().__init__(chan, chroot=root.encode())

    acceptor = await asyncssh.listen("127.0.0.1", 0, server_host_keys=[host_key],
                                     authorized_client_keys=asyncssh.import_authorized_keys(
                                         client_key.export_public_key().decode()),
                                     sftp_factory=Sftp, allow_scp=False)
    sftp = acceptor.sockets[0].getsockname()[1]
    known_hosts = os.path.join(keys, "known_hosts")
    with open(known_hosts, "w") as f:
        f.write(f"[127.0.0.1]:{sftp} {host_key.export_public_key().decode().strip()}\n")
    fingerprint = host_key.get_fingerprint("sha256")
    print(json.dumps({"ftp": ftp, "ftps": ftps, "sftp": sftp, "user": USER, "password_file": password_file,
                      "client_key": client_key_file, "host_key_sha256": fingerprint, "known_hosts": known_hosts,
                      "ca_file": ca}), flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)


asyncio.run(main())
