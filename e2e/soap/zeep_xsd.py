"""zeep 4.3, the reference SOAP client, making the calls of e2e/tests/soap_xsd.rs, which records
the envelopes zeep sends and compares them with the ones the generated Rust clients send for the
same values; zeep's view of the answers is printed as one JSON line for the test to compare with
what the Rust clients decode.

    python zeep_xsd.py shapes WSDL ENDPOINT   # specs/xsd-shapes.wsdl: Draw
    python zeep_xsd.py ews WSDL ENDPOINT      # Exchange's services.wsdl: FindFolder
    python zeep_xsd.py onvif WSDL ENDPOINT    # ONVIF's devicemgmt.wsdl: GetDot11Capabilities
    python zeep_xsd.py multiref WSDL ENDPOINT # specs/soap-multiref.wsdl: getUser (rpc/encoded)

zeep sends a substitution group's abstract head with `xsi:type` (`<Shape xsi:type="CircleType">`)
where the schema wants the member element (`<Circle>`), and cannot read member elements in an
answer; the test accounts for the first and answers zeep without the second. Nothing is fetched:
the one remote schema Exchange's types import (xml.xsd) is answered from here. Installed by
scripts/python-env.sh.
"""

import json
import sys

from zeep import Client
from zeep.helpers import serialize_object
from zeep.transports import Transport

XML_XSD = b"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
    targetNamespace="http://www.w3.org/XML/1998/namespace">
  <xs:attribute name="lang" type="xs:language"/><xs:attribute name="space" type="xs:NCName"/>
  <xs:attribute name="base" type="xs:anyURI"/><xs:attribute name="id" type="xs:ID"/>
</xs:schema>"""


OPEN = ('<xs:sequence><xs:any minOccurs="0" maxOccurs="unbounded" processContents="lax"/>'
        '</xs:sequence><xs:anyAttribute processContents="lax"/>')


def stub(namespace, types=(), elements=(), attributes=()):
    body = "".join('<xs:complexType name="%s">%s</xs:complexType>' % (t, OPEN) for t in types)
    body += "".join('<xs:element name="%s"><xs:complexType>%s</xs:complexType></xs:element>'
                    % (e, OPEN) for e in elements)
    body += "".join('<xs:attribute name="%s" type="xs:string"/>' % a for a in attributes)
    return ('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="%s">%s'
            '</xs:schema>' % (namespace, body)).encode()


# The remote schemas onvif.xsd imports, by the end of their URL.
ONVIF_IMPORTS = {
    "/2005/05/xmlmime": stub("http://www.w3.org/2005/05/xmlmime", attributes=["contentType"]),
    "/2003/05/soap-envelope": stub("http://www.w3.org/2003/05/soap-envelope",
                                   types=["Envelope", "Fault"]),
    "/wsn/b-2.xsd": stub("http://docs.oasis-open.org/wsn/b-2",
                         types=["FilterType", "NotificationMessageHolderType"]),
    "/2004/08/xop/include": stub("http://www.w3.org/2004/08/xop/include", elements=["Include"]),
}


class LocalTransport(Transport):
    """Reads schemas from files only; the W3C's xml.xsd from the copy above, ONVIF's remote
    imports from the stubs above."""

    def load(self, url):
        if url.startswith(("http://", "https://")):
            if url.endswith("/xml.xsd"):
                return XML_XSD
            for end, schema in ONVIF_IMPORTS.items():
                if url.endswith(end):
                    return schema
            raise ValueError("no network: " + url)
        return super().load(url)


def shapes(wsdl, endpoint):
    client = Client(wsdl, transport=LocalTransport())
    service = client.create_service("{urn:shapes}ShapesSoap", endpoint)
    circle = client.get_element("{urn:shapes}Circle")
    square = client.get_element("{urn:shapes}Square")
    answer = service.Draw(
        canvas="A4", Note="hi", plain=7,
        Shape=[circle(radius=1.5), square(side=2.0, label="s")],
        layers={"_value_1": [{"Text": "title"}, {"Line": {"from": 1, "to": 2, "unit": "cm", "style": "dashed"}},
                             {"Shape": circle(radius=3.0)}]},
        codes=[1, 2, 3], price={"_value_1": "9.50", "currency": "EUR"}, owner=None,
        item={"id": 5, "name": "n"}, colors=["red", "blue"],
        paging=client.get_type("{urn:shapes}FractionalPaging")(max=10, numerator=1, denominator=3))
    layers = []
    for item in answer.layers._value_1:
        ((kind, value),) = serialize_object(item, dict).items()
        layers.append([kind, value if kind == "Text" else [value["from"], value["to"]]])
    print(json.dumps({
        "layers": layers,
        "codes": list(answer.codes),
        "total": [str(answer.total._value_1), answer.total.currency],
        "paging": [answer.paging._xsd_type.name, answer.paging.max, answer.paging.offset],
    }), flush=True)


def ews(wsdl, endpoint):
    client = Client(wsdl, transport=LocalTransport())
    service = client.create_service(
        "{http://schemas.microsoft.com/exchange/services/2006/messages}ExchangeServiceBinding",
        endpoint)
    t = "{http://schemas.microsoft.com/exchange/services/2006/types}"
    unindexed = client.get_type(t + "PathToUnindexedFieldType")
    is_equal_to = client.get_type(t + "IsEqualToType")
    answer = service.FindFolder(
        Traversal="Shallow",
        FolderShape={"BaseShape": "IdOnly", "AdditionalProperties": {"_value_1": [
            {"Path": unindexed(FieldURI="folder:DisplayName")},
            {"Path": unindexed(FieldURI="folder:ChildFolderCount")}]}},
        IndexedPageFolderView={"MaxEntriesReturned": 10, "Offset": 0, "BasePoint": "Beginning"},
        Restriction={"SearchExpression": is_equal_to(
            Path=unindexed(FieldURI="folder:FolderClass"),
            FieldURIOrConstant={"Constant": {"Value": "IPF.Note"}})},
        ParentFolderIds={"_value_1": [
            {"DistinguishedFolderId": {"Id": "msgfolderroot"}},
            {"FolderId": {"Id": "AAMkADAwATM0MDAAMS1iNmYyLTFhAC4AAAAAAAAA4", "ChangeKey": "AQAAABYAAAAPHLS4"}}]})
    folders = []
    for message in answer.body.ResponseMessages._value_1:
        ((_, message),) = serialize_object(message, dict).items()
        root = message["RootFolder"]
        for folder in root["Folders"]["_value_1"]:
            ((kind, value),) = folder.items()
            folders.append([kind, value["DisplayName"], value["TotalCount"],
                            value["FolderId"]["Id"]])
    print(json.dumps({"folders": folders, "total": root["TotalItemsInView"]}), flush=True)


def onvif(wsdl, endpoint):
    """GetDot11Capabilities with a vendor element in its `xs:any` (`_value_1`, sent as it is);
    the answer's `Capabilities._value_1`, the elements its `xs:any` took, printed as XML."""
    from lxml import etree
    client = Client(wsdl, transport=LocalTransport())
    service = client.create_service("{http://www.onvif.org/ver10/device/wsdl}DeviceBinding",
                                    endpoint)
    vendor = etree.fromstring(
        '<v:Radio xmlns:v="urn:vendor" band="5GHz"><v:Channel>36</v:Channel>'
        '<v:Note xmlns="urn:vendor:notes">a &amp; b</v:Note></v:Radio>')
    answer = service.GetDot11Capabilities(_value_1=[vendor])
    print(json.dumps({
        "flags": [answer.TKIP, answer.ScanAvailableNetworks, answer.MultipleConfiguration,
                  answer.AdHocStationMode, answer.WEP],
        "any": [etree.tostring(e).decode() for e in answer._value_1],
    }), flush=True)


def multiref(wsdl, endpoint):
    """getUser, answered with multi-reference values (`href="#id"`), which zeep resolves."""
    client = Client(wsdl, transport=LocalTransport())
    service = client.create_service("{urn:users}UsersSoapBinding", endpoint)
    user = service.getUser(id=7)
    print(json.dumps(serialize_object(user, dict)), flush=True)


if __name__ == "__main__":
    {"shapes": shapes, "ews": ews, "onvif": onvif, "multiref": multiref}[sys.argv[1]](
        sys.argv[2], sys.argv[3])
