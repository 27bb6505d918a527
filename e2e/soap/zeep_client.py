"""zeep 4.3, the reference SOAP client, calling specs/calculator.wsdl's operations, for
e2e/tests/soap.rs: the test records the envelopes zeep sends and compares them with the ones the
generated Rust client sends for the same calls.

    python zeep_client.py WSDL ENDPOINT

Calls `Add(intA=40, intB=2)`, `GetQuote(symbol="ACME", currency="EUR", tags=["a", "b"])` with
the `client` SOAP header (`ClientInfo app="e2e"`, `user` "ann"), then
the rpc/literal `Multiply(a=6, b=7)` and `Reset()` of the `CalculatorAdmin` binding on ENDPOINT
(overriding the WSDL's addresses) and prints one JSON line with the results. Installed by
scripts/python-env.sh.
"""

import json
import sys

from zeep import Client

TNS = "{http://example.com/calculator}"


def main():
    wsdl, endpoint = sys.argv[1], sys.argv[2]
    client = Client(wsdl)
    service = client.create_service(TNS + "CalculatorSoap", endpoint)
    add = service.Add(intA=40, intB=2)
    quote = service.GetQuote(symbol="ACME", currency="EUR", tags=["a", "b"],
                             _soapheaders={"client": {"app": "e2e", "user": "ann"}})
    admin = client.create_service(TNS + "CalculatorAdmin", endpoint)
    product = admin.Multiply(a=6, b=7)
    admin.Reset()
    print(json.dumps({"add": add, "price": quote.price, "source": quote.source,
                      "product": product}), flush=True)


if __name__ == "__main__":
    main()
