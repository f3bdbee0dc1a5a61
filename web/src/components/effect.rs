//! One effect hook for the whole page. Yew's `use_effect_with` is
//! generic over its dependencies and its closures, so each call of it
//! brings its own copy of the effect machinery into the wasm;
//! [`use_effect_when`] calls it with one type of each (the dependencies
//! type-erased, the setup and the cleanup boxed), so every effect shares
//! one copy. It runs as `use_effect_with` runs: after a render whose
//! dependencies differ from the last run's (and after the first), the
//! last cleanup first, with the setup of that render.

use std::any::Any;

use yew::prelude::*;

/// What an effect leaves to undo before it runs again, or when the part
/// of the page that holds it goes.
pub type Cleanup = Box<dyn FnOnce()>;

/// An effect's setup: the code the effect runs, returning its cleanup.
pub type Setup = Box<dyn FnOnce() -> Cleanup>;

/// An effect's dependencies: any value compared with `==` (values of two
/// types are never equal).
pub struct Deps(Box<dyn DynEq>);

trait DynEq {
    fn as_any(&self) -> &dyn Any;
    fn eq_dyn(&self, other: &dyn Any) -> bool;
}

impl<T: PartialEq + 'static> DynEq for T {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn eq_dyn(&self, other: &dyn Any) -> bool {
        other.downcast_ref::<T>() == Some(self)
    }
}

impl Deps {
    /// The dependencies `value`.
    pub fn of<T: PartialEq + 'static>(value: T) -> Self {
        Deps(Box::new(value))
    }
}

impl PartialEq for Deps {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_dyn(other.0.as_any())
    }
}

/// The cleanup of an effect that leaves nothing to undo.
pub fn no_cleanup() -> Cleanup {
    Box::new(|| ())
}

/// `use_effect_with(deps, ..)` with `setup` as its closure (see the
/// module's doc).
#[hook]
pub fn use_effect_when(deps: Deps, setup: Setup) {
    use_effect_with(deps, move |_| setup());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_compare_as_their_values() {
        assert!(Deps::of(1u64) == Deps::of(1u64));
        assert!(Deps::of(1u64) != Deps::of(2u64));
        assert!(Deps::of(()) == Deps::of(()));
        assert!(Deps::of((3u64, "a".to_owned())) == Deps::of((3u64, "a".to_owned())));
        assert!(Deps::of((3u64, "a".to_owned())) != Deps::of((3u64, "b".to_owned())));
        assert!(Deps::of(Some(0usize)) != Deps::of(None::<usize>));
        // Another type is another dependency, whatever its value.
        assert!(Deps::of(1u32) != Deps::of(1u64));
        assert!(Deps::of(()) != Deps::of(false));
        let cleanup = no_cleanup();
        cleanup();
    }
}
