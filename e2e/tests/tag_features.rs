//! `--tag-features`: the golden case `tag-features` generated three times (build.rs: each copy's
//! tags prefixed with its name, so each has features of its own) and compiled with none of its
//! features on, with one (`one_pets`), and with all of them; warnings are errors, and CI's
//! `cargo clippy --all-targets -- -D warnings` lints the same code. The golden case itself is
//! compiled with `pets` only (its `features.txt`) by `goldens_compile.rs`.
#![deny(warnings)]

/// No feature on: the client, no operation.
#[allow(dead_code)]
pub mod none {
    include!(concat!(env!("OUT_DIR"), "/tagged_none.rs"));
}

/// `one_pets` on: `listPets` and `adminStats` (tagged `pets` too), and what they use.
#[allow(dead_code)]
pub mod one {
    include!(concat!(env!("OUT_DIR"), "/tagged_one.rs"));
}

/// Every feature of the copy on.
#[allow(dead_code)]
pub mod all {
    include!(concat!(env!("OUT_DIR"), "/tagged_all.rs"));
}

#[test]
fn each_copy_compiles_with_its_features() {
    // What build.rs turned on.
    const { assert!(cfg!(feature = "one_pets") && !cfg!(feature = "one-Store-Front")) };
    const { assert!(!cfg!(feature = "none_pets") && !cfg!(feature = "none_health")) };
    let none = none::Client::builder().build().expect("a client");
    drop(none);
    let one = one::Client::builder().build().expect("a client");
    let _ = one.list_pets();
    let _ = one.admin_stats();
    let pet = one::types::Pet::new("Rex".to_owned());
    assert_eq!(pet.name, "Rex");
    let all = all::Client::builder().build().expect("a client");
    let _ = all.list_pets();
    let _ = all.health();
    let _ = all.place_order(all::types::Order::default());
}
