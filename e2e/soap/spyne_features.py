"""A spyne 2.14 SOAP server for specs/soap-features.wsdl (e2e/tests/soap.rs): SOAP headers in both
directions, faults with a typed detail, SOAP 1.2, faults in HTTP 200, rpc-style requests.

    python spyne_features.py [PORT]     (default 0: a free port)

Prints `LISTENING <port>` once bound. Paths:

- `/`          SOAP 1.1 (spyne's `Soap11`, no schema validation: children are matched by local
               name, so rpc/literal requests, whose parts are unqualified, are read too);
- `/soap12/`   the same service over SOAP 1.2 (`Soap12`);
- `/fault200/` SOAP 1.1, with a fault's HTTP status 500 rewritten to 200 (as some servers answer).

Operations (namespace http://example.com/features):

- `Echo(text)`: needs the request header `Auth` (`user`); answers `EchoResult` = "<user>: <text>"
  and the response header `ServerInfo` (`version` "2.14", `requestUser` = the user);
- `Divide(a, b)`: a / b; b = 0 raises `Client.DivideByZero` with the detail element
  `DivideError` (`a`, `reason`);
- `Multiply(a, b)`: a * b (`MultiplyResult`), called rpc/literal by the client;
- `Concat(words)`: the words joined by spaces (`ConcatResult`), `words` a SOAP-encoded-style array
  of `<item>`s, called rpc/encoded by the client.
"""

import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server

from spyne import Application, Array, ComplexModel, Fault, Integer32, ServiceBase, Unicode, rpc
from spyne.protocol.soap import Soap11, Soap12
from spyne.server.wsgi import WsgiApplication

TNS = "http://example.com/features"


class Auth(ComplexModel):
    __namespace__ = TNS
    user = Unicode


class ServerInfo(ComplexModel):
    __namespace__ = TNS
    version = Unicode
    requestUser = Unicode


class DivideError(ComplexModel):
    __namespace__ = TNS
    a = Integer32
    reason = Unicode


class Features(ServiceBase):
    __in_header__ = Auth
    __out_header__ = ServerInfo

    @rpc(Unicode, _returns=Unicode, _operation_name="Echo", _in_arg_names={"text": "text"},
         _out_variable_name="EchoResult")
    def echo(ctx, text):
        user = ctx.in_header.user if ctx.in_header is not None else None
        if not user:
            raise Fault(faultcode="Client.NoAuth", faultstring="the Auth header is missing")
        ctx.out_header = ServerInfo(version="2.14", requestUser=user)
        return "%s: %s" % (user, text)

    @rpc(Integer32, Integer32, _returns=Integer32, _operation_name="Divide",
         _out_variable_name="DivideResult")
    def divide(ctx, a, b):
        if b == 0:
            raise Fault(faultcode="Client.DivideByZero", faultstring="%d / 0" % a,
                        detail={"DivideError": {"a": str(a), "reason": "division by zero"}})
        return a // b

    @rpc(Integer32, Integer32, _returns=Integer32, _operation_name="Multiply",
         _out_variable_name="MultiplyResult")
    def multiply(ctx, a, b):
        if a is None or b is None:
            raise ValueError("a/b missing")
        return a * b

    @rpc(Array(Unicode, member_name="item"), _returns=Unicode, _operation_name="Concat",
         _in_arg_names={"words": "words"}, _out_variable_name="ConcatResult")
    def concat(ctx, words):
        return " ".join(words or [])


class QuietHandler(WSGIRequestHandler):
    def log_message(self, fmt, *args):
        sys.stderr.write("spyne: " + (fmt % args) + "\n")


def app(protocol_in, protocol_out):
    return WsgiApplication(Application([Features], tns=TNS, name="FeaturesService",
                                       in_protocol=protocol_in, out_protocol=protocol_out))


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    soap11 = app(Soap11(), Soap11())
    soap12 = app(Soap12(), Soap12())

    def dispatch(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/soap12"):
            return soap12(environ, start_response)
        if path.startswith("/fault200"):
            def ok(status, headers, exc_info=None):
                if status.startswith("500"):
                    status = "200 OK"
                return start_response(status, headers, exc_info)
            return soap11(environ, ok)
        return soap11(environ, start_response)

    server = make_server("127.0.0.1", port, dispatch, handler_class=QuietHandler)
    print("LISTENING %d" % server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
