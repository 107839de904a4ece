package kernels

import "testing"

func naiveGemm(c, a, b []float32, m, n, k int, acc bool) {
	for i := range m {
		ci := c[i*n : i*n+n]
		if !acc {
			clear(ci)
		}
		ai := a[i*k : i*k+k]
		for p, aip := range ai {
			bp := b[p*n : p*n+n]
			for j, bpj := range bp {
				ci[j] += float32(aip * bpj)
			}
		}
	}
}

func naiveGemmTA(c, a, b []float32, m, n, k int, acc bool) {
	if !acc {
		clear(c[:m*n])
	}
	for p := range k {
		ap := a[p*m : p*m+m]
		bp := b[p*n : p*n+n]
		for i, api := range ap {
			ci := c[i*n : i*n+n]
			for j, bpj := range bp {
				ci[j] += float32(api * bpj)
			}
		}
	}
}

func BenchmarkNaive(b *testing.B) {
	for _, s := range benchShapes {
		b.Run(s.name, func(b *testing.B) { benchGemm(b, naiveGemm, s.m, s.n, s.k) })
		b.Run(s.name+"/dx", func(b *testing.B) { benchGemm(b, naiveGemm, s.m, s.k, s.n) })
		b.Run(s.name+"/TA", func(b *testing.B) { benchGemm(b, naiveGemmTA, s.k, s.n, s.m) })
	}
}
