//! The re-exports generated code relies on: serde derive through `::sdkwright_runtime::serde`,
//! serde_json, and the wire primitives.

use sdkwright_runtime::serde_json::{self, json};
use sdkwright_runtime::{Base64, Date, DateTime, Uuid};

/// Exactly what generated code emits.
#[derive(
    Debug,
    Clone,
    PartialEq,
    ::sdkwright_runtime::serde::Serialize,
    ::sdkwright_runtime::serde::Deserialize,
)]
#[serde(crate = "::sdkwright_runtime::serde")]
pub struct Model {
    #[serde(rename = "createdAt")]
    pub created_at: DateTime,
    pub day: Date,
    pub id: Uuid,
    pub blob: Base64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<::sdkwright_runtime::serde_json::Value>,
    pub tags: std::collections::BTreeMap<String, i64>,
}

#[derive(
    Debug, PartialEq, ::sdkwright_runtime::serde::Serialize, ::sdkwright_runtime::serde::Deserialize,
)]
#[serde(crate = "::sdkwright_runtime::serde", tag = "kind")]
pub enum Shape {
    Circle { r: f64 },
}

#[test]
fn generated_style_derives_round_trip() {
    let wire = json!({
        "createdAt": "2024-05-06T07:08:09Z",
        "day": "2024-05-06",
        "id": "67e55044-10b1-426f-9247-bb680e5fe0c8",
        "blob": "aGVsbG8=",
        "tags": {"a": 1}
    });
    let m: Model = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(m.blob.as_slice(), b"hello");
    assert_eq!(m.day.to_string(), "2024-05-06");
    assert_eq!(m.id.to_string(), "67e55044-10b1-426f-9247-bb680e5fe0c8");
    assert_eq!(m.created_at.timestamp(), 1_714_979_289);
    assert_eq!(serde_json::to_value(&m).unwrap(), wire);

    let s: Shape = serde_json::from_str(r#"{"kind":"Circle","r":1.5}"#).unwrap();
    assert_eq!(s, Shape::Circle { r: 1.5 });
}

#[test]
fn base64_conveniences() {
    let b = Base64::from(vec![0xfbu8, 0xff]);
    assert_eq!(serde_json::to_string(&b).unwrap(), r#""+/8=""#);
    // URL-safe alphabet and missing padding are accepted
    let u: Base64 = serde_json::from_str(r#""-_8""#).unwrap();
    assert_eq!(u, b);
    assert_eq!(b.len(), 2); // Deref<Target = Vec<u8>>
    let v: Vec<u8> = b.clone().into();
    assert_eq!(v, vec![0xfb, 0xff]);
    assert_eq!(Base64::from(&b"hi"[..]).into_inner(), b"hi".to_vec());
    assert!(serde_json::from_str::<Base64>(r#""not base64!""#).is_err());
}

#[test]
fn datetime_now_is_available() {
    let now: DateTime = chrono_now();
    assert!(now.timestamp() > 1_700_000_000);
}

fn chrono_now() -> DateTime {
    // the `now` feature of chrono is enabled, so generated code and users can build timestamps
    DateTime::from(std::time::SystemTime::now())
}
