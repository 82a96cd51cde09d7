//! `#[derive(StateLayout)]`: describes a state type's complete layout for overdub's in-place reloads.
//!
//! The generated description lists the type's size and alignment and every field, in declaration order, with
//! its name, offset and type, recursing into each field's own `StateLayout`; for enums, every variant with its
//! fields. A field whose type has no `StateLayout` (a function pointer, a trait object) is a compile error:
//! such state cannot be handed from one build to another.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields, parse_quote};

pub(crate) fn expand(input: &DeriveInput, overdub: &TokenStream) -> syn::Result<TokenStream> {
    let name = &input.ident;
    let name_text = name.to_string();
    let mut generics = input.generics.clone();
    for param in generics.type_params_mut() {
        param.bounds.push(parse_quote!(#overdub::StateLayout));
    }
    let (impl_generics, type_generics, where_clause) = generics.split_for_impl();
    let body = match &input.data {
        Data::Struct(data) => {
            let fields = data.fields.iter().enumerate().map(|(index, field)| {
                let ty = &field.ty;
                let (member, label) = match &field.ident {
                    Some(ident) => (quote!(#ident), ident.to_string()),
                    None => {
                        let index = syn::Index::from(index);
                        (quote!(#index), index.index.to_string())
                    }
                };
                quote! { out.field::<#ty>(#label, ::core::mem::offset_of!(Self, #member)); }
            });
            quote! { out.structure::<Self>(#name_text, |out| { #(#fields)* }); }
        }
        Data::Enum(data) => {
            let variants = data.variants.iter().map(|variant| {
                let label = variant.ident.to_string();
                let fields = variant_fields(&variant.fields);
                quote! { out.variant(#label, |out| { #(#fields)* }); }
            });
            quote! { out.enumeration::<Self>(#name_text, |out| { #(#variants)* }); }
        }
        Data::Union(union) => {
            return Err(syn::Error::new(
                union.union_token.span,
                "StateLayout cannot describe a union: which field is live is not known",
            ));
        }
    };
    Ok(quote! {
        // SAFETY: generated from the type's definition: size, alignment, and every field (or variant) in
        // declaration order with its offset and type, each described recursively.
        unsafe impl #impl_generics #overdub::StateLayout for #name #type_generics #where_clause {
            fn describe(out: &mut #overdub::LayoutWriter) {
                #body
            }
        }
    })
}

fn variant_fields(fields: &Fields) -> Vec<TokenStream> {
    fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let ty = &field.ty;
            let label = field.ident.as_ref().map_or_else(|| index.to_string(), ToString::to_string);
            quote! { out.variant_field::<#ty>(#label); }
        })
        .collect()
}
