package data

import (
	"fmt"
	"slices"

	"vaeaug/core/rng"
)

// DefaultValSize is the size of the validation slice the study holds out
// of the 60,000 MNIST training images for early stopping.
const DefaultValSize = 5000

// SplitSeed fixes which training examples form the validation slice. It is
// a constant rather than a parameter because the slice must be the same for
// every run, every n and every subset seed: that is what makes it disjoint
// from all training subsets and comparable across runs. Its value spells
// "validate" in ASCII.
const SplitSeed uint64 = 0x76616c6964617465

// stratifyDomain is mixed into subset seeds so that drawing a subset with
// seed s and, say, initialising weights with rng.New(s) elsewhere do not
// consume the same random stream. Its value spells "stratify" in ASCII.
const stratifyDomain uint64 = 0x7374726174696679

// Split divides train into a validation slice of valSize examples and the
// pool that training subsets are drawn from. The two are disjoint and
// together hold every example, so any subset of pool, for any n and seed,
// is disjoint from val.
//
// The validation slice is a uniformly random (not stratified) sample: the
// first valSize positions of a permutation drawn from rng.New(SplitSeed).
// Its class proportions therefore follow the training set's, like the test
// set's do, which is what an early-stopping monitor should see; at 5,000
// examples every class has several hundred. Both results keep the order of
// train. Because the permutation does not depend on valSize, a smaller
// validation slice is a subset of a larger one, but the pool, and so every
// subset drawn from it, changes with valSize: use DefaultValSize throughout
// the study.
func Split(train *Dataset, valSize int) (pool, val *Dataset, err error) {
	n := train.Len()
	if valSize < 0 || valSize >= n {
		return nil, nil, fileErr(train.Name, ErrSubset, nil,
			"validation size %d must be at least 0 and less than the %d examples", valSize, n)
	}
	perm := rng.New(SplitSeed).Perm(n)
	valIdx := slices.Clone(perm[:valSize])
	poolIdx := slices.Clone(perm[valSize:])
	slices.Sort(valIdx)
	slices.Sort(poolIdx)
	if val, err = train.Subset(train.Name+" validation", valIdx); err != nil {
		return nil, nil, err
	}
	if pool, err = train.Subset(train.Name+" pool", poolIdx); err != nil {
		return nil, nil, err
	}
	return pool, val, nil
}

// StratifiedIndices picks n examples of ds, n/10 from each class, and
// returns their positions in ds in increasing order. n must be a positive
// multiple of 10 and every class must have at least n/10 examples;
// otherwise the error says which condition failed.
//
// The choice depends only on ds, n and seed, and is the same on every
// platform. For a fixed ds and seed the subsets are nested: the subset for
// n=100 is contained in the one for n=200, which is contained in n=400's,
// and so on, because each class's examples are shuffled once (independently
// of n) and the first n/10 are taken. Growing n thus only adds originals,
// which keeps comparisons across n free of resampling noise.
func StratifiedIndices(ds *Dataset, n int, seed uint64) ([]int, error) {
	if n <= 0 || n%NumClasses != 0 {
		return nil, fileErr(ds.Name, ErrSubset, nil,
			"subset size n=%d is not a positive multiple of 10 (n/10 originals are drawn per class)", n)
	}
	per := n / NumClasses
	var byClass [NumClasses][]int
	for i, y := range ds.Labels.Y {
		byClass[y] = append(byClass[y], i)
	}
	for c, idx := range byClass {
		if len(idx) < per {
			return nil, fileErr(ds.Name, ErrSubset, nil,
				"class %d has only %d examples, fewer than the %d per class that n=%d needs", c, len(idx), per, n)
		}
	}
	r := rng.New(seed ^ stratifyDomain)
	out := make([]int, 0, n)
	// Classes are visited in order 0..9 so the random stream is consumed
	// identically on every run.
	for _, idx := range byClass {
		r.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		out = append(out, idx[:per]...)
	}
	slices.Sort(out)
	return out, nil
}

// Stratified returns the subset chosen by StratifiedIndices as a dataset
// of copies, named after ds, n and seed. Its Index field gives each
// example's position in the original file, for logging which originals a
// run used.
func Stratified(ds *Dataset, n int, seed uint64) (*Dataset, error) {
	idx, err := StratifiedIndices(ds, n, seed)
	if err != nil {
		return nil, err
	}
	return ds.Subset(fmt.Sprintf("%s stratified n=%d seed=%d", ds.Name, n, seed), idx)
}
