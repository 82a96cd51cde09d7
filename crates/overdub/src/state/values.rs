//! [`DspState`] for the types DSP memory is made of: numbers, `bool`, `char`, and lists, arrays, boxes,
//! options and tuples of them.

use super::DspState;
use super::format::{Kind, StateReader, StateWriter, type_changed};
use overdub_abi::StateError;

macro_rules! primitives {
    ($($t:ty => $kind:ident as $wire:ty),* $(,)?) => {$(
        impl DspState for $t {
            fn save(&self, out: &mut StateWriter<'_>) {
                out.kind(Kind::$kind);
                out.bytes(&(*self as $wire).to_le_bytes());
            }

            fn load(&mut self, input: &mut StateReader<'_>) -> Result<(), StateError> {
                match input.kind()? {
                    Kind::$kind => {}
                    other => return Err(type_changed(other, Kind::$kind)),
                }
                *self = read::<$wire>(input)? as $t;
                Ok(())
            }

            fn save_slice(items: &[Self], out: &mut StateWriter<'_>) {
                out.kind(Kind::Packed);
                out.kind(Kind::$kind);
                out.u64(items.len() as u64);
                for item in items {
                    out.bytes(&(*item as $wire).to_le_bytes());
                }
            }

            fn load_slice(items: &mut [Self], input: &mut StateReader<'_>) -> Result<(), StateError> {
                match input.kind()? {
                    Kind::Packed => {}
                    other => return Err(type_changed(other, format_args!("a list of {}", Kind::$kind))),
                }
                match input.kind()? {
                    Kind::$kind => {}
                    other => return Err(type_changed(
                        format_args!("a list of {other}"),
                        format_args!("a list of {}", Kind::$kind),
                    )),
                }
                let count = input.count(size_of::<$wire>())?;
                for index in 0..count {
                    let value = read::<$wire>(input)? as $t;
                    if let Some(item) = items.get_mut(index) {
                        *item = value;
                    }
                }
                Ok(())
            }
        }
    )*};
}

/// A little-endian number of type `W`.
fn read<W: Wire>(input: &mut StateReader<'_>) -> Result<W, StateError> {
    input.bytes(size_of::<W>()).map(W::from_le)
}

/// A number as it is stored.
trait Wire: Sized {
    fn from_le(bytes: &[u8]) -> Self;
}

macro_rules! wire {
    ($($t:ty),*) => {$(
        impl Wire for $t {
            fn from_le(bytes: &[u8]) -> Self {
                <$t>::from_le_bytes(bytes.try_into().expect("read exactly the size of the number"))
            }
        }
    )*};
}
wire!(u8, u16, u32, u64, u128, i8, i16, i32, i64, i128, f32, f64);

primitives!(
    u8 => U8 as u8,
    u16 => U16 as u16,
    u32 => U32 as u32,
    u64 => U64 as u64,
    u128 => U128 as u128,
    usize => U64 as u64,
    i8 => I8 as i8,
    i16 => I16 as i16,
    i32 => I32 as i32,
    i64 => I64 as i64,
    i128 => I128 as i128,
    isize => I64 as i64,
    f32 => F32 as f32,
    f64 => F64 as f64,
);

impl DspState for bool {
    fn save(&self, out: &mut StateWriter<'_>) {
        out.kind(Kind::Bool);
        out.u8(u8::from(*self));
    }

    fn load(&mut self, input: &mut StateReader<'_>) -> Result<(), StateError> {
        match input.kind()? {
            Kind::Bool => {}
            other => return Err(type_changed(other, Kind::Bool)),
        }
        *self = input.u8()? != 0;
        Ok(())
    }
}

impl DspState for char {
    fn save(&self, out: &mut StateWriter<'_>) {
        out.kind(Kind::Char);
        out.u32(u32::from(*self));
    }

    fn load(&mut self, input: &mut StateReader<'_>) -> Result<(), StateError> {
        match input.kind()? {
            Kind::Char => {}
            other => return Err(type_changed(other, Kind::Char)),
        }
        let code = input.u32()?;
        *self = char::from_u32(code)
            .ok_or_else(|| StateError::invalid(format_args!("{code:#x} is not a character")))?;
        Ok(())
    }
}

impl DspState for () {
    fn save(&self, out: &mut StateWriter<'_>) {
        out.kind(Kind::Unit);
    }

    fn load(&mut self, input: &mut StateReader<'_>) -> Result<(), StateError> {
        match input.kind()? {
            Kind::Unit => Ok(()),
            other => Err(type_changed(other, Kind::Unit)),
        }
    }
}

impl<T: DspState> DspState for Vec<T> {
    fn save(&self, out: &mut StateWriter<'_>) {
        T::save_slice(self, out);
    }

    fn load(&mut self, input: &mut StateReader<'_>) -> Result<(), StateError> {
        T::load_slice(self, input)
    }
}

impl<T: DspState> DspState for [T] {
    fn save(&self, out: &mut StateWriter<'_>) {
        T::save_slice(self, out);
    }

    fn load(&mut self, input: &mut StateReader<'_>) -> Result<(), StateError> {
        T::load_slice(self, input)
    }
}

impl<T: DspState, const N: usize> DspState for [T; N] {
    fn save(&self, out: &mut StateWriter<'_>) {
        T::save_slice(self, out);
    }

    fn load(&mut self, input: &mut StateReader<'_>) -> Result<(), StateError> {
        T::load_slice(self, input)
    }
}

impl<T: DspState + ?Sized> DspState for Box<T> {
    fn save(&self, out: &mut StateWriter<'_>) {
        (**self).save(out);
    }

    fn load(&mut self, input: &mut StateReader<'_>) -> Result<(), StateError> {
        (**self).load(input)
    }
}

/// A saved `None` empties the option; a saved value loads into a value the new build has, and is dropped
/// where it has none (there is nothing to load it into).
impl<T: DspState> DspState for Option<T> {
    fn save(&self, out: &mut StateWriter<'_>) {
        match self {
            None => out.kind(Kind::None),
            Some(value) => {
                out.kind(Kind::Some);
                value.save(out);
            }
        }
    }

    fn load(&mut self, input: &mut StateReader<'_>) -> Result<(), StateError> {
        match input.kind()? {
            Kind::None => {
                *self = None;
                Ok(())
            }
            Kind::Some => match self {
                Some(value) => value.load(input),
                None => input.skip_value(),
            },
            other => Err(type_changed(other, Kind::Some)),
        }
    }
}

macro_rules! tuples {
    ($(($($name:ident $index:tt),+)),*) => {$(
        impl<$($name: DspState),+> DspState for ($($name,)+) {
            fn save(&self, out: &mut StateWriter<'_>) {
                out.kind(Kind::Tuple);
                out.u8([$(stringify!($name)),+].len() as u8);
                $( self.$index.save(out); )+
            }

            fn load(&mut self, input: &mut StateReader<'_>) -> Result<(), StateError> {
                match input.kind()? {
                    Kind::Tuple => {}
                    other => return Err(type_changed(other, Kind::Tuple)),
                }
                let count = input.u8()?;
                let mut loaded = 0;
                $(
                    if loaded < count {
                        self.$index.load(input)?;
                        loaded += 1;
                    }
                )+
                for _ in loaded..count {
                    input.skip_value()?;
                }
                Ok(())
            }
        }
    )*};
}
tuples!((A 0), (A 0, B 1), (A 0, B 1, C 2), (A 0, B 1, C 2, D 3));
