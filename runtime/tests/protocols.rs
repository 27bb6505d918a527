//! GraphQL and SOAP against a real server.

use crate::common;

use common::{Reply, TestServer};
use sdkwright_runtime::__private::*;
use sdkwright_runtime::serde_json::{self, json};

// ---------------------------------------------------------------------------------------------
// GraphQL

static PET_QUERY: OperationSpec = OperationSpec::new("Pet", Method::Post, "/graphql")
    .body(BodyFormat::graphql(
        "query Pet($id: ID!) { pet(id: $id) { name } }",
        "Pet",
    ))
    .response(ResponseFormat::GraphQl);

#[derive(
    Debug, PartialEq, sdkwright_runtime::serde::Serialize, sdkwright_runtime::serde::Deserialize,
)]
#[serde(crate = "sdkwright_runtime::serde")]
struct PetVariables {
    id: String,
}

#[derive(Debug, PartialEq, sdkwright_runtime::serde::Deserialize)]
#[serde(crate = "sdkwright_runtime::serde")]
struct PetData {
    pet: Option<Pet>,
}

#[derive(Debug, PartialEq, sdkwright_runtime::serde::Deserialize)]
#[serde(crate = "sdkwright_runtime::serde")]
struct Pet {
    name: String,
}

#[tokio::test]
async fn graphql_data_and_errors() {
    let server = TestServer::start(|_, s| {
        let req: serde_json::Value = serde_json::from_slice(&s.body).unwrap();
        match req["variables"]["id"].as_str() {
            Some("1") => Reply::json(200, r#"{"data": {"pet": {"name": "Rex"}}}"#),
            Some(_) => Reply::json(
                200,
                r#"{"data": null, "errors": [{"message": "not found", "path": ["pet"]}]}"#,
            ),
            None => Reply::json(200, r#"{"data": {"pet": null}, "errors": []}"#),
        }
    })
    .await;
    let c = ClientBuilder::new(&server.url).build().unwrap();

    let data: PetData = c
        .execute::<ErrorMetadata>(Request::new(&PET_QUERY).body(&PetVariables { id: "1".into() }))
        .await
        .unwrap()
        .decode::<_, ErrorMetadata>()
        .unwrap();
    assert_eq!(
        data,
        PetData {
            pet: Some(Pet { name: "Rex".into() })
        }
    );
    let seen = server.last();
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, "/graphql");
    assert_eq!(seen.header("content-type"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_slice(&seen.body).unwrap();
    assert_eq!(
        body,
        json!({
            "query": "query Pet($id: ID!) { pet(id: $id) { name } }",
            "operationName": "Pet",
            "variables": {"id": "1"}
        })
    );

    let err = c
        .execute::<ErrorMetadata>(Request::new(&PET_QUERY).body(&PetVariables { id: "2".into() }))
        .await
        .unwrap()
        .decode::<PetData, ErrorMetadata>()
        .unwrap_err();
    match &err {
        Error::GraphQl(errors) => {
            assert_eq!(errors.errors().len(), 1);
            assert_eq!(errors.errors()[0].message, "not found");
        }
        e => panic!("{e:?}"),
    }
    assert_eq!(
        err.to_string(),
        "1 GraphQL error (HTTP 200): not found (at pet)"
    );

    // no variables: the query is still sent; an empty `errors` list is not an error
    let data: PetData = c
        .execute::<ErrorMetadata>(Request::new(&PET_QUERY))
        .await
        .unwrap()
        .decode::<_, ErrorMetadata>()
        .unwrap();
    assert_eq!(data, PetData { pet: None });
    let body: serde_json::Value = serde_json::from_slice(&server.last().body).unwrap();
    assert_eq!(
        body,
        json!({
            "query": "query Pet($id: ID!) { pet(id: $id) { name } }",
            "operationName": "Pet"
        })
    );
}

// ---------------------------------------------------------------------------------------------
// SOAP

static GET_PRICE_11: OperationSpec = OperationSpec::new("GetPrice", Method::Post, "/soap")
    .body(BodyFormat::soap(
        SoapVersion::V11,
        "urn:GetPrice",
        "http://example.com/stock",
        "GetPrice",
    ))
    .response(ResponseFormat::Soap);

static GET_PRICE_12: OperationSpec = OperationSpec::new("GetPrice", Method::Post, "/soap12")
    .body(BodyFormat::soap(
        SoapVersion::V12,
        "urn:GetPrice",
        "http://example.com/stock",
        "GetPrice",
    ))
    .response(ResponseFormat::Soap);

#[derive(Debug, sdkwright_runtime::serde::Serialize)]
#[serde(crate = "sdkwright_runtime::serde")]
struct GetPrice {
    #[serde(rename = "ItemName")]
    item_name: String,
    #[serde(rename = "Quantity")]
    quantity: i32,
    #[serde(rename = "Tag")]
    tags: Vec<String>,
    #[serde(rename = "Note", skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Debug, PartialEq, sdkwright_runtime::serde::Deserialize)]
#[serde(crate = "sdkwright_runtime::serde")]
struct GetPriceResponse {
    #[serde(rename = "Price")]
    price: f64,
    #[serde(rename = "Currency")]
    currency: String,
    #[serde(rename = "Discount", default)]
    discount: Option<i32>,
}

#[derive(Debug, PartialEq, sdkwright_runtime::serde::Deserialize)]
#[serde(crate = "sdkwright_runtime::serde")]
struct PriceFaultDetail {
    #[serde(rename = "Reason")]
    reason: String,
    #[serde(rename = "RetryIn")]
    retry_in: u32,
}

#[derive(Debug)]
enum GetPriceError {
    Fault(SoapFault),
    Unknown(ErrorMetadata),
}

impl FromErrorResponse for GetPriceError {
    fn from_response(resp: &ErrorResponse) -> Result<Self, DecodeError> {
        match resp.status() {
            500 => Ok(GetPriceError::Fault(resp.decode()?)),
            _ => Ok(GetPriceError::Unknown(resp.metadata())),
        }
    }
}

fn input() -> GetPrice {
    GetPrice {
        item_name: "Apple & <Pear>".into(),
        quantity: 2,
        tags: vec!["a".into(), "b".into()],
        note: None,
    }
}

const RESPONSE_11: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Header/>
  <soap:Body>
    <m:GetPriceResponse xmlns:m="http://example.com/stock">
      <m:Price>1.5</m:Price>
      <m:Currency>EUR &amp; co</m:Currency>
    </m:GetPriceResponse>
  </soap:Body>
</soap:Envelope>"#;

const RESPONSE_12: &str = r#"<?xml version="1.0"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope">
  <env:Body>
    <GetPriceResponse xmlns="http://example.com/stock">
      <Price>2</Price><Currency><![CDATA[USD]]></Currency><Discount>5</Discount>
    </GetPriceResponse>
  </env:Body>
</env:Envelope>"#;

const FAULT_11: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">
  <SOAP-ENV:Body>
    <SOAP-ENV:Fault>
      <faultcode>SOAP-ENV:Server</faultcode>
      <faultstring>Out of apples</faultstring>
    </SOAP-ENV:Fault>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>"#;

const FAULT_12: &str = r#"<?xml version="1.0"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope">
  <env:Body>
    <env:Fault>
      <env:Code><env:Value>env:Receiver</env:Value></env:Code>
      <env:Reason><env:Text xml:lang="en">Price service busy</env:Text></env:Reason>
      <env:Detail>
        <s:PriceFault xmlns:s="http://example.com/stock"><s:Reason>busy</s:Reason><s:RetryIn>30</s:RetryIn></s:PriceFault>
      </env:Detail>
    </env:Fault>
  </env:Body>
</env:Envelope>"#;

#[tokio::test]
async fn soap_11_request_envelope_and_response() {
    let server = TestServer::start(|n, _| match n {
        0 => Reply::new(200)
            .header("content-type", "text/xml; charset=utf-8")
            .body(RESPONSE_11),
        1 => Reply::new(200)
            .header("content-type", "text/xml; charset=utf-8")
            .body(FAULT_11),
        _ => Reply::new(404).body("no"),
    })
    .await;
    let c = ClientBuilder::new(&server.url).build().unwrap();

    let out: GetPriceResponse = c
        .execute::<GetPriceError>(Request::new(&GET_PRICE_11).body(&input()))
        .await
        .unwrap()
        .decode::<_, GetPriceError>()
        .unwrap();
    assert_eq!(
        out,
        GetPriceResponse {
            price: 1.5,
            currency: "EUR & co".into(),
            discount: None
        }
    );

    let seen = server.last();
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.header("content-type"), Some("text/xml; charset=utf-8"));
    assert_eq!(seen.header("soapaction"), Some("\"urn:GetPrice\""));
    assert_eq!(
        seen.body_text(),
        concat!(
            r#"<?xml version="1.0" encoding="utf-8"?>"#,
            r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>"#,
            r#"<ns:GetPrice xmlns:ns="http://example.com/stock">"#,
            r#"<ItemName>Apple &amp; &lt;Pear&gt;</ItemName><Quantity>2</Quantity><Tag>a</Tag><Tag>b</Tag>"#,
            r#"</ns:GetPrice></soap:Body></soap:Envelope>"#
        )
    );

    // a Fault inside a 200 is an error
    let err = c
        .execute::<GetPriceError>(Request::new(&GET_PRICE_11).body(&input()))
        .await
        .unwrap()
        .decode::<GetPriceResponse, GetPriceError>()
        .unwrap_err();
    match err {
        Error::SoapFault(f) => {
            assert_eq!(f.code, "SOAP-ENV:Server");
            assert_eq!(f.reason, "Out of apples");
            assert_eq!(f.detail, None);
        }
        e => panic!("{e:?}"),
    }

    // an undeclared status
    let err = c
        .execute::<GetPriceError>(Request::new(&GET_PRICE_11).body(&input()))
        .await
        .unwrap_err();
    match err {
        Error::Api(GetPriceError::Unknown(m)) => {
            assert_eq!(m.status, 404);
            assert_eq!(m.body_text(), "no");
        }
        e => panic!("{e:?}"),
    }
}

#[tokio::test]
async fn soap_12_request_envelope_response_and_fault() {
    let server = TestServer::start(|n, _| match n {
        0 => Reply::new(200)
            .header("content-type", "application/soap+xml")
            .body(RESPONSE_12),
        _ => Reply::new(500)
            .header("content-type", "application/soap+xml")
            .body(FAULT_12),
    })
    .await;
    let c = ClientBuilder::new(&server.url).build().unwrap();

    let out: GetPriceResponse = c
        .execute::<GetPriceError>(Request::new(&GET_PRICE_12).body(&input()))
        .await
        .unwrap()
        .decode::<_, GetPriceError>()
        .unwrap();
    assert_eq!(
        out,
        GetPriceResponse {
            price: 2.0,
            currency: "USD".into(),
            discount: Some(5)
        }
    );
    let seen = server.last();
    assert_eq!(seen.path, "/soap12");
    assert_eq!(
        seen.header("content-type"),
        Some(r#"application/soap+xml; charset=utf-8; action="urn:GetPrice""#)
    );
    assert_eq!(seen.header("soapaction"), None);
    let xml = seen.body_text();
    assert!(xml.contains(
        r#"<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><ns:GetPrice xmlns:ns="http://example.com/stock"><ItemName>"#
    ), "{xml}");

    // a Fault with HTTP 500 goes through FromErrorResponse
    let err = c
        .execute::<GetPriceError>(Request::new(&GET_PRICE_12).body(&input()))
        .await
        .unwrap_err();
    match err {
        Error::Api(GetPriceError::Fault(f)) => {
            assert_eq!(f.code, "env:Receiver");
            assert_eq!(f.reason, "Price service busy");
            let detail: PriceFaultDetail = f.detail_as().unwrap();
            assert_eq!(
                detail,
                PriceFaultDetail {
                    reason: "busy".into(),
                    retry_in: 30
                }
            );
            assert_eq!(f.to_string(), "SOAP fault env:Receiver: Price service busy");
        }
        e => panic!("{e:?}"),
    }
}

#[tokio::test]
async fn soap_empty_body_and_unqualified_element() {
    static PING: OperationSpec = OperationSpec::new("Ping", Method::Post, "/")
        .body(BodyFormat::soap(SoapVersion::V11, "", "", "Ping"))
        .response(ResponseFormat::Soap);
    let server = TestServer::fixed(Reply::new(200).body(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><PingResponse/></s:Body></s:Envelope>"#,
    ))
    .await;
    let c = ClientBuilder::new(&server.url).build().unwrap();
    #[derive(Debug, sdkwright_runtime::serde::Deserialize)]
    #[serde(crate = "sdkwright_runtime::serde")]
    struct PingResponse {}
    let _: PingResponse = c
        .execute::<ErrorMetadata>(Request::new(&PING))
        .await
        .unwrap()
        .decode::<_, ErrorMetadata>()
        .unwrap();
    let seen = server.last();
    assert_eq!(seen.header("soapaction"), Some("\"\""));
    assert!(seen.body_text().contains("<soap:Body><Ping/></soap:Body>"));

    // not an envelope: decode error, not a panic
    let server = TestServer::fixed(Reply::new(200).body("<html>oops</html>")).await;
    let c = ClientBuilder::new(&server.url).build().unwrap();
    let err = c
        .execute::<ErrorMetadata>(Request::new(&PING))
        .await
        .unwrap()
        .decode::<PingResponse, ErrorMetadata>()
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

/// Fields named `{uri}name` are elements in namespace `uri` (the body's namespace reuses its `ns`
/// prefix, another one is declared as the default namespace, and an unqualified element below it
/// undeclares it); `@name` fields are attributes. Response elements marked `xsi:nil` read as
/// `None`, and a fault behind an error status is reachable from `ErrorMetadata`.
#[tokio::test]
async fn soap_qualified_children_attributes_and_nil() {
    static QUOTE: OperationSpec = OperationSpec::new("Quote", Method::Post, "/")
        .body(BodyFormat::soap(
            SoapVersion::V11,
            "urn:Quote",
            "urn:a",
            "Quote",
        ))
        .response(ResponseFormat::Soap);
    #[derive(Debug, sdkwright_runtime::serde::Serialize)]
    #[serde(crate = "sdkwright_runtime::serde")]
    struct Inner {
        #[serde(rename = "@id")]
        id: u32,
        #[serde(rename = "{urn:b}x")]
        x: Vec<i32>,
        plain: &'static str,
    }
    #[derive(Debug, sdkwright_runtime::serde::Serialize)]
    #[serde(crate = "sdkwright_runtime::serde")]
    struct Quote {
        #[serde(rename = "{urn:a}symbol")]
        symbol: &'static str,
        #[serde(rename = "{urn:a}inner")]
        inner: Inner,
        #[serde(rename = "{urn:a}none", skip_serializing_if = "Option::is_none")]
        none: Option<i32>,
    }
    #[derive(Debug, PartialEq, sdkwright_runtime::serde::Deserialize)]
    #[serde(crate = "sdkwright_runtime::serde")]
    struct Priced {
        #[serde(rename = "@source")]
        source: String,
        price: f64,
        #[serde(default)]
        note: Option<String>,
    }
    let server = TestServer::start(|n, _| match n {
        0 => Reply::new(200).body(concat!(
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" "#,
            r#"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><s:Body>"#,
            r#"<a:Priced xmlns:a="urn:a" source="feed"><a:price>2.5</a:price>"#,
            r#"<a:note xsi:nil="true"/></a:Priced></s:Body></s:Envelope>"#
        )),
        _ => Reply::new(500).body(FAULT_11),
    })
    .await;
    let c = ClientBuilder::new(&server.url).build().unwrap();
    let body = Quote {
        symbol: "ACME",
        inner: Inner {
            id: 7,
            x: vec![1, 2],
            plain: "p",
        },
        none: None,
    };
    let out: Priced = c
        .execute::<ErrorMetadata>(Request::new(&QUOTE).body(&body))
        .await
        .unwrap()
        .decode::<_, ErrorMetadata>()
        .unwrap();
    assert_eq!(
        out,
        Priced {
            source: "feed".into(),
            price: 2.5,
            note: None
        }
    );
    assert_eq!(
        server.last().body_text(),
        concat!(
            r#"<?xml version="1.0" encoding="utf-8"?>"#,
            r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>"#,
            r#"<ns:Quote xmlns:ns="urn:a"><ns:symbol>ACME</ns:symbol><ns:inner id="7">"#,
            r#"<x xmlns="urn:b">1</x><x xmlns="urn:b">2</x><plain>p</plain></ns:inner>"#,
            r#"</ns:Quote></soap:Body></soap:Envelope>"#
        )
    );

    let err = c
        .execute::<ErrorMetadata>(Request::new(&QUOTE).body(&body))
        .await
        .unwrap_err();
    match err {
        Error::Api(meta) => {
            assert_eq!(meta.status, 500);
            let fault = meta.soap_fault().unwrap();
            assert_eq!(fault.code, "SOAP-ENV:Server");
            assert_eq!(fault.reason, "Out of apples");
        }
        e => panic!("{e:?}"),
    }
}
