"""A spyne 2.14 SOAP 1.1 server implementing `Add` of specs/calculator.wsdl, for e2e/tests/soap.rs.

A sum that does not fit a 32-bit integer raises the fault the WSDL declares for `Add`
(`Overflow`, detail element `AddOverflow` with `intA` and `intB`), as a 500 with
`faultcode` `soap11env:Client.Overflow` (spyne's prefix).

    python spyne_server.py [PORT]     (default 0: a free port)

Serves document/literal SOAP 1.1 on http://127.0.0.1:PORT/ and its own WSDL at /?wsdl, and
prints `LISTENING <port>` on stdout once the socket is bound. Installed by scripts/python-env.sh.
"""

import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server

from spyne import Application, Fault, Integer32, ServiceBase, rpc
from spyne.protocol.soap import Soap11
from spyne.server.wsgi import WsgiApplication

TNS = "http://example.com/calculator"


class CalculatorSoap(ServiceBase):
    # Wrapped document/literal, as in specs/calculator.wsdl: request element `Add` with children
    # `intA`, `intB`; response element `AddResponse` with `AddResult` (spyne's default names).
    @rpc(Integer32, Integer32, _returns=Integer32, _operation_name="Add",
         _in_arg_names={"int_a": "intA", "int_b": "intB"},
         _out_message_name="AddResponse", _out_variable_name="AddResult")
    def add(ctx, int_a, int_b):
        if int_a is None or int_b is None:
            # What a lax server does with children it did not recognize: make that visible.
            raise ValueError("intA/intB missing (children in the wrong namespace?)")
        total = int_a + int_b
        if not -2**31 <= total < 2**31:
            raise Fault(faultcode="Client.Overflow",
                        faultstring="%d + %d does not fit a 32-bit integer" % (int_a, int_b),
                        detail={"AddOverflow": {"intA": str(int_a), "intB": str(int_b)}})
        return total


class QuietHandler(WSGIRequestHandler):
    def log_message(self, fmt, *args):
        sys.stderr.write("spyne: " + (fmt % args) + "\n")


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    app = Application(
        [CalculatorSoap],
        tns=TNS,
        name="CalculatorService",
        in_protocol=Soap11(validator="lxml"),
        out_protocol=Soap11(),
    )
    server = make_server("127.0.0.1", port, WsgiApplication(app), handler_class=QuietHandler)
    print("LISTENING %d" % server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
