//! The `send_methods!` macro: the methods most generated request builders share.

/// Writes a generated builder's `customize`, `send` and `send_with_response` (the builder has a
/// `client: rt::Call` field and a `fn rt_request(self) -> rt::Prepared`): `$ok` is the type the
/// success response decodes as, `$err` the typed error body (`serde_json::Value` when not
/// given). Every builder whose response decodes one body has the same three methods, so they
/// are written once here (contract 7); `rt::send_methods!(T, B; headers H)` is the builder of an
/// operation with typed response headers `H`, read by `send_with_response` (contract 9).
#[doc(hidden)]
#[macro_export]
macro_rules! __send_methods {
    // The error body type (`serde_json::Value` when not given), for `Pick`.
    (@err) => { $crate::__private::Value };
    (@err $err:ty) => { $err };
    // `send`.
    (@send $ok:ty $(, $err:ty)?) => {
        /// Sends the request and decodes the response.
        pub fn send(self) -> $crate::ResponseFuture<$ok $(, $err)?> {
            #[allow(unused_imports)]
            use $crate::__private::{PickJson as _, PickSoap as _};
            // The borrow is the autoref specialization's (`Pick`), not a needless one.
            #[allow(clippy::needless_borrow)]
            let decoding = (&$crate::__private::Pick::<$crate::__send_methods!(@err $($err)?)>::NEW).decoding();
            // SOAP decoding is compiled only for a SOAP operation's error body (`Pick`).
            self.rt_request().send_in(decoding)
        }
    };
    // With the operation's typed response headers `$h` (contract 9).
    ($ok:ty $(, $err:ty)?; headers $h:ty) => {
        $crate::__customize!();
        $crate::__send_methods!(@send $ok $(, $err)?);

        /// Sends the request; returns the decoded response with its status and headers, the
        /// declared ones typed (`ApiResponse::typed_headers`).
        pub fn send_with_response(
            self,
        ) -> $crate::WithResponse<$ok, $crate::__send_methods!(@err $($err)?), $h> {
            #[allow(unused_imports)]
            use $crate::__private::{PickJson as _, PickSoap as _};
            // The borrow is the autoref specialization's (`Pick`), not a needless one.
            #[allow(clippy::needless_borrow)]
            let decoding = (&$crate::__private::Pick::<$crate::__send_methods!(@err $($err)?)>::NEW).decoding();
            self.rt_request().send_with_headers_in(decoding)
        }
    };
    ($ok:ty $(, $err:ty)?) => {
        $crate::__customize!();
        $crate::__send_methods!(@send $ok $(, $err)?);

        /// Sends the request; returns the decoded response with its status and headers.
        pub fn send_with_response(self) -> $crate::WithResponse<$ok $(, $err)?> {
            #[allow(unused_imports)]
            use $crate::__private::{PickJson as _, PickSoap as _};
            // The borrow is the autoref specialization's (`Pick`), not a needless one.
            #[allow(clippy::needless_borrow)]
            let decoding = (&$crate::__private::Pick::<$crate::__send_methods!(@err $($err)?)>::NEW).decoding();
            self.rt_request().send_with_response_in(decoding)
        }
    };
}

#[cfg(test)]
mod tests {
    #[allow(unused_imports)]
    use crate::__private::{AnyFormat, JsonOnly, Pick, PickJson as _, PickSoap as _};

    /// `send_methods!`'s choice: SOAP decoding for SOAP faults only (a wrong choice either way
    /// is a type error here).
    #[test]
    #[allow(clippy::needless_borrow)] // the borrow is the autoref specialization's
    fn soap_decoding_is_picked_by_the_error_body() {
        struct Detail;
        impl crate::FaultDetail for Detail {
            fn from_fault(_: &crate::SoapFault) -> Option<Result<Self, crate::DecodeError>> {
                None
            }
        }
        let _: AnyFormat = (&Pick::<crate::SoapFault>::NEW).decoding();
        let _: AnyFormat = (&Pick::<crate::Fault<Detail>>::NEW).decoding();
        let _: JsonOnly = (&Pick::<serde_json::Value>::NEW).decoding();
        let _: JsonOnly = (&Pick::<Vec<String>>::NEW).decoding();
    }
}
