//! The client generated from specs/openai-chat.yaml (a cut-down copy of OpenAI's chat
//! schemas) against a loopback server: a real chat-completion response with tool calls decodes
//! (a `discriminator` without `mapping`, tags from the members' own `enum`), an unknown tool
//! type lands in the fallback variant, and tri-state fields (optional and nullable) are sent
//! and read as absent, `null` or a value, raw bytes asserted.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use axum::Router;
use openai_chat::types::{
    ChatCompletionMessageToolCall, ChatCompletionMessageToolCallFunction,
    ChatCompletionMessageToolCallType, ChatCompletionMessageToolCallsItem,
    ChatCompletionRequestAssistantMessage, CreateChatCompletionRequest,
    CreateChatCompletionResponseChoicesItemFinishReason,
};
use openai_chat::Client;
use sdkwright_runtime::Nullable;

/// A chat completion with a tool call, as the API answers it (from OpenAI's API reference, with
/// the fields a 2025 response carries).
const TOOL_CALL_RESPONSE: &str = r#"{
  "id": "chatcmpl-abc123",
  "object": "chat.completion",
  "created": 1699896916,
  "model": "gpt-4o-mini",
  "choices": [
    {
      "index": 0,
      "message": {
        "role": "assistant",
        "content": null,
        "refusal": null,
        "annotations": [],
        "tool_calls": [
          {
            "id": "call_abc123",
            "type": "function",
            "function": {
              "name": "get_current_weather",
              "arguments": "{\n\"location\": \"Boston, MA\"\n}"
            }
          },
          {
            "id": "call_def456",
            "type": "hosted_tool",
            "hosted_tool": {"name": "a tool type added after this client"}
          }
        ]
      },
      "logprobs": null,
      "finish_reason": "tool_calls"
    }
  ],
  "usage": {"prompt_tokens": 82, "completion_tokens": 17, "total_tokens": 99},
  "service_tier": "default",
  "system_fingerprint": "fp_44709d6fcb"
}"#;

/// Serves `answer` to every POST /v1/chat/completions and records the request bodies.
async fn server(answer: &'static str) -> (String, Arc<Mutex<Vec<Bytes>>>) {
    let seen: Arc<Mutex<Vec<Bytes>>> = Arc::default();
    let app = Router::new()
        .route(
            "/v1/chat/completions",
            post(
                move |State(seen): State<Arc<Mutex<Vec<Bytes>>>>, body: Bytes| async move {
                    seen.lock().unwrap().push(body);
                    ([("content-type", "application/json")], answer)
                },
            ),
        )
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/v1"), seen)
}

fn assistant() -> ChatCompletionRequestAssistantMessage {
    // `role` allows one value (`assistant`): `new` fills it in.
    ChatCompletionRequestAssistantMessage::new()
}

#[tokio::test]
async fn tool_calls_decode_and_tri_state_fields_travel_as_sent() {
    let (url, seen) = server(TOOL_CALL_RESPONSE).await;
    let client = Client::builder().base_url(url).build().unwrap();

    // Tri-state on the way out: absent (not sent), explicit null, a value.
    let mut with_null = assistant();
    with_null.content = Nullable::Null;
    with_null.tool_calls = Some(vec![
        ChatCompletionMessageToolCallsItem::ChatCompletionMessageToolCall(Box::new(
            ChatCompletionMessageToolCall {
                id: "call_abc123".into(),
                // The tag comes from the variant, whatever the member's own field says.
                r#type: ChatCompletionMessageToolCallType::Unknown("custom".into()),
                function: ChatCompletionMessageToolCallFunction {
                    name: "get_current_weather".into(),
                    arguments: "{}".into(),
                },
            },
        )),
    ]);
    let mut with_value = assistant();
    with_value.content = Nullable::Value("It is sunny.".into());
    let absent = assistant();
    let body = CreateChatCompletionRequest {
        model: "gpt-4o-mini".into(),
        messages: vec![with_null, with_value, absent],
    };
    let res = client.create_chat_completion(body).send().await.unwrap();

    let sent = seen.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        std::str::from_utf8(&sent[0]).unwrap(),
        concat!(
            r#"{"model":"gpt-4o-mini","messages":["#,
            r#"{"content":null,"role":"assistant","tool_calls":[{"id":"call_abc123","type":"function","function":{"name":"get_current_weather","arguments":"{}"}}]},"#,
            r#"{"content":"It is sunny.","role":"assistant"},"#,
            r#"{"role":"assistant"}]}"#
        )
    );

    // The response: a function call by its own tag, and a tool type this client does not know.
    let choice = &res.choices[0];
    assert_eq!(
        choice.finish_reason,
        CreateChatCompletionResponseChoicesItemFinishReason::ToolCalls
    );
    assert_eq!(choice.message.content, None);
    let calls = choice.message.tool_calls.as_ref().unwrap();
    assert_eq!(calls.len(), 2);
    let ChatCompletionMessageToolCallsItem::ChatCompletionMessageToolCall(call) = &calls[0] else {
        panic!("not a function call: {:?}", calls[0]);
    };
    assert_eq!(call.function.name, "get_current_weather");
    assert_eq!(
        call.function.arguments,
        "{\n\"location\": \"Boston, MA\"\n}"
    );
    let ChatCompletionMessageToolCallsItem::Unknown(other) = &calls[1] else {
        panic!("not the fallback: {:?}", calls[1]);
    };
    assert_eq!(other["type"], "hosted_tool");
    // The fallback is written back as it came.
    assert_eq!(
        serde_json::to_value(&calls[1]).unwrap(),
        serde_json::json!({"id": "call_def456", "type": "hosted_tool", "hosted_tool": {"name": "a tool type added after this client"}})
    );
}

#[test]
fn tri_state_fields_read_absent_null_and_value_apart() {
    let read = |json: &str| -> ChatCompletionRequestAssistantMessage {
        serde_json::from_str(json).unwrap()
    };
    assert_eq!(read(r#"{"role":"assistant"}"#).content, Nullable::Absent);
    assert_eq!(
        read(r#"{"role":"assistant","content":null}"#).content,
        Nullable::Null
    );
    assert_eq!(
        read(r#"{"role":"assistant","content":"hi"}"#).content,
        Nullable::Value("hi".to_owned())
    );
}

/// OpenAI 3.1 `webhooks`: a received body is decoded by the webhook's name into its payload
/// type; an unknown name keeps the body as JSON; a body that does not match is an error.
#[test]
fn webhook_bodies_decode_by_name() {
    use openai_chat::types::Webhook;
    // The example of the document's `batch.completed` event.
    let body = br#"{"id": "evt_abc123", "type": "batch.completed", "created_at": 1719168000, "data": {"id": "batch_abc123"}}"#;
    let hook = Webhook::parse("batch_completed", body).expect("decodes");
    let Webhook::BatchCompleted(event) = &hook else {
        panic!("{hook:?}")
    };
    assert_eq!(event.id, "evt_abc123");
    assert_eq!(event.data.id, "batch_abc123");
    assert_eq!(event.created_at, 1719168000);
    assert_eq!(hook.name(), "batch_completed");
    assert_eq!(Webhook::NAMES, ["batch_completed", "batch_failed"]);
    let other = Webhook::parse("fine_tuning_job_succeeded", body).expect("any JSON");
    assert!(
        matches!(&other, Webhook::Other { name, payload } if name == "fine_tuning_job_succeeded" && payload["id"] == "evt_abc123")
    );
    assert!(Webhook::parse("batch_failed", br#"{"id": 1}"#).is_err());
}
