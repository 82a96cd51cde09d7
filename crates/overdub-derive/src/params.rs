//! `#[derive(Params)]`: a struct of typed parameters, each declared once in its `#[param(...)]` attribute.
//!
//! ```text
//! #[param(id = "gain", name = "Gain", range = -60.0..=12.0, default = 0.0, unit = "dB", smooth_ms = 20.0)]
//! pub gain: FloatParam,
//! ```
//!
//! `id` is required and must never change (hosts store the number derived from it); `name` defaults to the
//! field's name in words; `range` to `0.0..=1.0` (`IntParam` needs one); `default` to the range's start;
//! `smooth_ms` (a `FloatParam`'s glide) to none; the flags `bypass`, `hidden` and `read_only` to off.

use proc_macro2::{TokenStream, TokenTree};
use quote::quote;
use syn::parse::ParseStream;
use syn::{Data, DeriveInput, Fields, LitStr, Token};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Float,
    Int,
    Bool,
}

struct Declared {
    member: syn::Ident,
    kind: Kind,
    id: LitStr,
    name: String,
    range: Option<(TokenStream, TokenStream)>,
    default: Option<TokenStream>,
    unit: String,
    smooth_ms: Option<TokenStream>,
    flags: Vec<&'static str>,
}

pub(crate) fn expand(input: &DeriveInput, overdub: &TokenStream) -> syn::Result<TokenStream> {
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(&input.ident, "Params is derived for a struct of parameters"));
    };
    let Fields::Named(fields) = &data.fields else {
        return Err(syn::Error::new_spanned(&input.ident, "Params needs named fields, one per parameter"));
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(&input.generics, "a Params struct cannot be generic"));
    }
    let mut declared: Vec<Declared> = Vec::new();
    for field in &fields.named {
        let param = declare(field)?;
        if let Some(first) = declared.iter().find(|d| d.id.value() == param.id.value()) {
            return Err(syn::Error::new(
                param.id.span(),
                format!("parameter id {:?} is already used by `{}`", param.id.value(), first.member),
            ));
        }
        declared.push(param);
    }
    let name = &input.ident;
    let layout = crate::layout::expand(input, overdub)?;
    let infos = declared.iter().map(|d| info(d, overdub));
    let ids = declared.iter().map(|d| &d.id);
    let (mut new, mut reset, mut begin, mut end) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (index, d) in declared.iter().enumerate() {
        let member = &d.member;
        let value = quote!(<Self as #overdub::Params>::INFOS[#index]);
        let initial = quote!(#value.constrain(#value.default));
        match d.kind {
            Kind::Float => {
                let smooth = d.smooth_ms.clone().unwrap_or_else(|| quote!(0.0));
                new.push(quote!(#member: #overdub::FloatParam::new(#initial as f32)));
                reset.push(quote!(self.#member.reset();));
                begin.push(quote! {
                    if let ::core::option::Option::Some(&value) = values.get(#index) {
                        self.#member.begin_window(value, frames, sample_rate, (#smooth) as f64);
                    }
                });
                end.push(quote!(self.#member.end_window();));
            }
            Kind::Int | Kind::Bool => {
                let ty = if d.kind == Kind::Int { quote!(IntParam) } else { quote!(BoolParam) };
                let convert = if d.kind == Kind::Int {
                    quote!(#initial.round() as i32)
                } else {
                    quote!(#initial >= 0.5)
                };
                new.push(quote!(#member: #overdub::#ty::new(#convert)));
                begin.push(quote! {
                    if let ::core::option::Option::Some(&value) = values.get(#index) {
                        self.#member.begin_window(value);
                    }
                });
            }
        }
    }
    Ok(quote! {
        #layout

        impl #overdub::Params for #name {
            const INFOS: &'static [#overdub::ParamInfo] = &[ #( #infos ),* ];

            fn new() -> Self {
                Self { #( #new ),* }
            }

            fn reset(&mut self) {
                #( #reset )*
            }

            fn begin_window(&mut self, values: &[f64], frames: usize, sample_rate: f64) {
                let _ = (values, frames, sample_rate);
                #( #begin )*
            }

            fn end_window(&mut self) {
                #( #end )*
            }
        }

        const _: () = #overdub::params::assert_unique_ids(&[ #( #overdub::param_id(#ids) ),* ]);
    })
}

fn info(d: &Declared, overdub: &TokenStream) -> TokenStream {
    let (id, name, unit) = (&d.id, &d.name, &d.unit);
    let (min, max) = match (&d.range, d.kind) {
        (Some((min, max)), _) => (min.clone(), max.clone()),
        (None, _) => (quote!(0.0), quote!(1.0)),
    };
    let default = match (&d.default, d.kind) {
        (Some(value), Kind::Bool) => quote!(if #value { 1.0 } else { 0.0 }),
        (Some(value), _) => quote!((#value) as f64),
        (None, _) => quote!((#min) as f64),
    };
    let steps = match d.kind {
        Kind::Float => quote!(0),
        Kind::Int => quote!((((#max) as f64) - ((#min) as f64)) as u32),
        Kind::Bool => quote!(1),
    };
    let flags = d.flags.iter().map(|flag| {
        let flag = syn::Ident::new(flag, proc_macro2::Span::call_site());
        quote!(.union(#overdub::ParamFlags::#flag))
    });
    quote! {
        #overdub::ParamInfo::new(#overdub::param_id(#id), #name)
            .range((#min) as f64, (#max) as f64)
            .default_value(#default)
            .unit(#unit)
            .stepped(#steps)
            .flags(#overdub::ParamFlags::AUTOMATABLE #( #flags )*)
    }
}

fn declare(field: &syn::Field) -> syn::Result<Declared> {
    let member = field.ident.clone().expect("named fields have names");
    let kind = match &field.ty {
        syn::Type::Path(path) => match path.path.segments.last().map(|s| s.ident.to_string()).as_deref() {
            Some("FloatParam") => Some(Kind::Float),
            Some("IntParam") => Some(Kind::Int),
            Some("BoolParam") => Some(Kind::Bool),
            _ => None,
        },
        _ => None,
    }
    .ok_or_else(|| {
        syn::Error::new_spanned(&field.ty, "a parameter is a FloatParam, an IntParam or a BoolParam")
    })?;
    let attr = field.attrs.iter().find(|a| a.path().is_ident("param")).ok_or_else(|| {
        syn::Error::new_spanned(&member, "declare the parameter with #[param(id = \"...\", ...)]")
    })?;
    let mut d = Declared {
        name: words(&member.to_string()),
        member,
        kind,
        id: LitStr::new("", proc_macro2::Span::call_site()),
        range: None,
        default: None,
        unit: String::new(),
        smooth_ms: None,
        flags: Vec::new(),
    };
    let mut has_id = false;
    attr.parse_nested_meta(|meta| {
        let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
        match key.as_str() {
            "id" => {
                d.id = meta.value()?.parse()?;
                has_id = true;
            }
            "name" => d.name = meta.value()?.parse::<LitStr>()?.value(),
            "unit" => d.unit = meta.value()?.parse::<LitStr>()?.value(),
            "range" => d.range = Some(range(meta.value()?)?),
            "default" => d.default = Some(expression(meta.value()?)?),
            "smooth_ms" if kind == Kind::Float => d.smooth_ms = Some(expression(meta.value()?)?),
            "bypass" => d.flags.push("BYPASS"),
            "hidden" => d.flags.push("HIDDEN"),
            "read_only" => d.flags.push("READ_ONLY"),
            _ => {
                return Err(meta.error(
                    "expected id, name, range, default, unit, smooth_ms (FloatParam), bypass, hidden or read_only",
                ));
            }
        }
        Ok(())
    })?;
    if !has_id || d.id.value().is_empty() {
        return Err(syn::Error::new_spanned(
            attr,
            "a parameter needs a stable string id: #[param(id = \"...\")]",
        ));
    }
    if kind == Kind::Int && d.range.is_none() {
        return Err(syn::Error::new_spanned(attr, "an IntParam needs a range, e.g. range = 1..=16"));
    }
    Ok(d)
}

/// The tokens of one attribute value, up to the next top-level comma.
fn expression(input: ParseStream<'_>) -> syn::Result<TokenStream> {
    let mut tokens = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        tokens.extend([input.parse::<TokenTree>()?]);
    }
    if tokens.is_empty() {
        return Err(input.error("expected a value"));
    }
    Ok(tokens)
}

/// `start..=end`, each side any expression (`-60.0`, `MAX_TIME_MS`).
fn range(input: ParseStream<'_>) -> syn::Result<(TokenStream, TokenStream)> {
    let mut start = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![..=]) && !input.peek(Token![,]) {
        start.extend([input.parse::<TokenTree>()?]);
    }
    if !input.peek(Token![..=]) || start.is_empty() {
        return Err(input.error("expected a range such as -60.0..=12.0"));
    }
    input.parse::<Token![..=]>()?;
    Ok((start, expression(input)?))
}

/// `dry_wet` as `Dry Wet`.
fn words(member: &str) -> String {
    member
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| w[..1].to_ascii_uppercase() + &w[1..])
        .collect::<Vec<_>>()
        .join(" ")
}
