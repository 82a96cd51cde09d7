//! overdub's derives, and the macro that reads the plugin's identity from its crate's `Cargo.toml`.
//!
//! - `#[derive(StateLayout)]`: a type's complete layout, recursively, so a new build may adopt the running
//!   build's memory when it is unchanged.
//! - `#[derive(DspState)]`: that layout, plus saving and loading the memory field by field for a build
//!   whose layout changed.
//! - `#[derive(Params)]`: a struct of typed parameters declared with `#[param(...)]`.
//! - `manifest_identity!`: the `[package.metadata.overdub]` id and name, for `export_logic!`.

mod dsp_state;
mod identity;
mod layout;
mod params;

use proc_macro::TokenStream;
use proc_macro_crate::{FoundCrate, crate_name};
use quote::{format_ident, quote};
use syn::{DeriveInput, parse_macro_input};

/// Implements `StateLayout` by describing every field (and, for enums, every variant).
#[proc_macro_derive(StateLayout)]
pub fn derive_state_layout(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    finish(layout::expand(&input, &overdub_path()))
}

/// Implements `StateLayout` and `DspState`: the memory saved field by field under each field's name, and
/// loaded back by name into a build whose layout changed.
#[proc_macro_derive(DspState)]
pub fn derive_dsp_state(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    let overdub = overdub_path();
    finish(layout::expand(&input, &overdub).and_then(|layout| {
        let state = dsp_state::expand(&input, &overdub)?;
        Ok(quote! { #layout #state })
    }))
}

/// Implements `Params` (and `StateLayout`) for a struct whose fields are `FloatParam`, `IntParam` or
/// `BoolParam`, each declared with `#[param(id = "...", ...)]`.
#[proc_macro_derive(Params, attributes(param))]
pub fn derive_params(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    finish(params::expand(&input, &overdub_path()))
}

/// The `Identity` of the crate being compiled, from its `[package.metadata.overdub]`: used by
/// `overdub::export_logic!`, which passes its `$crate`.
#[proc_macro]
pub fn manifest_identity(input: TokenStream) -> TokenStream {
    let krate = proc_macro2::TokenStream::from(input);
    finish(identity::expand(&krate))
}

fn finish(result: syn::Result<proc_macro2::TokenStream>) -> TokenStream {
    result.unwrap_or_else(|error| error.to_compile_error()).into()
}

/// The path of the `overdub` crate as the deriving crate names it (`::overdub` inside overdub too, which
/// declares `extern crate self as overdub`).
fn overdub_path() -> proc_macro2::TokenStream {
    match crate_name("overdub") {
        Ok(FoundCrate::Name(found)) => {
            let ident = format_ident!("{found}");
            quote!(::#ident)
        }
        Ok(FoundCrate::Itself) | Err(_) => quote!(::overdub),
    }
}
