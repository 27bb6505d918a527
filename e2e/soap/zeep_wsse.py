"""zeep 4.3 calling `Add` of specs/calculator.wsdl with a WS-Security UsernameToken, for
e2e/tests/soap.rs: the test records the envelopes and compares their `Header` with the one the
generated Rust client sends for the same token.

    python zeep_wsse.py WSDL ENDPOINT

Calls `Add(intA=1, intB=2)` twice on ENDPOINT: first with a PasswordDigest token (user `ann`,
password `s3cret`, the fixed nonce `0123456789abcdef` and `Created` 2024-03-05T10:00:00Z), then
with a PasswordText token, and prints one JSON line with the results. Installed by
scripts/python-env.sh.
"""

import datetime
import json
import sys

from zeep import Client
from zeep.wsse.username import UsernameToken

TNS = "{http://example.com/calculator}"


def main():
    wsdl, endpoint = sys.argv[1], sys.argv[2]
    created = datetime.datetime(2024, 3, 5, 10, 0, 0, tzinfo=datetime.timezone.utc)
    tokens = [
        UsernameToken("ann", "s3cret", use_digest=True, nonce="0123456789abcdef",
                      created=created, zulu_timestamp=True),
        UsernameToken("ann", "s3cret"),
    ]
    results = []
    for token in tokens:
        client = Client(wsdl, wsse=token)
        service = client.create_service(TNS + "CalculatorSoap", endpoint)
        results.append(service.Add(intA=1, intB=2))
    print(json.dumps({"sums": results}), flush=True)


if __name__ == "__main__":
    main()
