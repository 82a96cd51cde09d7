//! `#[derive(DspState)]`: a struct's memory saved as a record of its fields by name (an enum's as its
//! variant's name and fields), loaded back by name so a build with fields added, removed or reordered takes
//! what it still has.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Data, DeriveInput, Fields, parse_quote};

pub(crate) fn expand(input: &DeriveInput, overdub: &TokenStream) -> syn::Result<TokenStream> {
    let name = &input.ident;
    let mut generics = input.generics.clone();
    for param in generics.type_params_mut() {
        param.bounds.push(parse_quote!(#overdub::DspState));
    }
    let (impl_generics, type_generics, where_clause) = generics.split_for_impl();
    let ok = quote!(::core::result::Result::Ok(()));
    let (save, load) = match &input.data {
        Data::Struct(data) => {
            let (labels, members) = members(&data.fields);
            let count = labels.len() as u32;
            let save = if labels.is_empty() {
                quote! { let _ = out.record(0); }
            } else {
                quote! {
                    let mut record = out.record(#count);
                    #( record.field(#labels, &self.#members); )*
                }
            };
            let load = quote! {
                input.record(|name, value| match name {
                    #( #labels => value.load(&mut self.#members), )*
                    _ => #ok,
                })
            };
            (save, load)
        }
        Data::Enum(data) => {
            let mut saves = Vec::new();
            let mut loads = Vec::new();
            for variant in &data.variants {
                let ident = &variant.ident;
                let label = ident.to_string();
                let (labels, _) = members(&variant.fields);
                let bindings: Vec<_> = (0..labels.len()).map(|i| format_ident!("field_{i}")).collect();
                let pattern = match &variant.fields {
                    Fields::Named(named) => {
                        let names = named.named.iter().map(|f| f.ident.as_ref().expect("named"));
                        quote!(Self::#ident { #( #names: #bindings ),* })
                    }
                    Fields::Unnamed(_) => quote!(Self::#ident( #( #bindings ),* )),
                    Fields::Unit => quote!(Self::#ident),
                };
                let count = labels.len() as u32;
                saves.push(if labels.is_empty() {
                    quote! { #pattern => { let _ = variant.record(#label, 0); } }
                } else {
                    quote! {
                        #pattern => {
                            let mut fields = variant.record(#label, #count);
                            #( fields.field(#labels, #bindings); )*
                        }
                    }
                });
                loads.push(quote! {
                    (#label, #pattern) => value.record(|name, value| match name {
                        #( #labels => value.load(#bindings), )*
                        _ => #ok,
                    }),
                });
            }
            let save = quote! {
                let mut variant = out.record(1);
                match self { #( #saves )* }
            };
            // A saved variant other than the one the new build holds keeps the new build's value.
            let load = quote! {
                input.record(|name, value| match (name, &mut *self) {
                    #( #loads )*
                    _ => #ok,
                })
            };
            (save, load)
        }
        Data::Union(union) => {
            return Err(syn::Error::new(
                union.union_token.span,
                "DspState cannot save a union: which field is live is not known",
            ));
        }
    };
    Ok(quote! {
        impl #impl_generics #overdub::DspState for #name #type_generics #where_clause {
            fn save(&self, out: &mut #overdub::StateWriter<'_>) {
                #save
            }

            fn load(
                &mut self,
                input: &mut #overdub::StateReader<'_>,
            ) -> ::core::result::Result<(), #overdub::StateError> {
                #load
            }
        }
    })
}

/// Each field's saved name and its member expression (`name`, or `0` for a tuple field).
fn members(fields: &Fields) -> (Vec<String>, Vec<TokenStream>) {
    fields
        .iter()
        .enumerate()
        .map(|(index, field)| match &field.ident {
            Some(ident) => (ident.to_string(), quote!(#ident)),
            None => {
                let index = syn::Index::from(index);
                (index.index.to_string(), quote!(#index))
            }
        })
        .unzip()
}
