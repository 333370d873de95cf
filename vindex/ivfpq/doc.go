// Package ivfpq is an inverted-file index with product-quantised residuals
// and exact re-ranking (IVF_PQ; Jégou, Douze & Schmid, "Product
// Quantization for Nearest Neighbor Search", TPAMI 2011, sections III–IV:
// IVFADC with asymmetric distance computation).
//
// # Data flow
//
//	Train(sample):  coarse k-means (lists centroids)
//	                → residuals r = x - c(x) of up to PQSamplePerCode*2^nbits rows
//	                → per sub-space k-means (2^nbits codewords each)
//	Add(id, x):     list = nearest centroid c; code[j] = nearest codeword of r_j;
//	                also keep x itself (for re-ranking) and, for L2, the scalar
//	                e = ‖r̂‖² + 2 c·r̂ of the decoded residual r̂
//	Search(q):      rank centroids; ONE lookup table per query
//	                T[j][v] = q_j·codeword_j[v] (scaled per metric);
//	                for each vector of the probed lists
//	                  L2:     ‖q-c‖² + e - 2 Σ_j T[j][code_j]   (= ‖q - c - r̂‖²)
//	                  IP:     -q·c - Σ_j T[j][code_j]
//	                  cosine: 1 - q̂·c - Σ_j T[j][code_j]
//	                keep the best k*Rerank that pass Filter, recompute their
//	                exact distances from the kept vectors, return the best k.
//
// NB: the paper builds one table per probed list for L2 residuals
// (‖(q-c)_j - codeword‖²), costing 2^nbits*dims flops per list. Expanding
// the square moves the list-dependent part into one stored float per
// vector (e), so a query builds one table whatever its probes; faiss's
// "precomputed tables" do the same with a lists×m×2^nbits table instead.
//
// Sub-spaces: dims is split into m contiguous sub-spaces whose sizes differ
// by at most one, so any m in 1..dims is accepted (faiss requires m to
// divide dims). Codes take one byte per sub-space (nbits ≤ 8).
//
// # Memory
//
// Stats().Bytes counts the compressed index: codes (m bytes per vector),
// ids (8), e (4), centroids and codebooks, plus the id→location map.
// The exact copy of each vector kept for re-ranking is NOT in
// Stats().Bytes: it stands in for the table rows the SQL layer could fetch
// instead. Memory() reports every part separately, including that copy
// (Raw), so callers can count it when they want the whole footprint.
//
// # Untrained index, widening, filter
//
// As in vindex/ivfflat: vectors added before training go to a pending
// list that Search scans exactly; Add trains automatically once the
// pending list holds AutoTrainPerList*lists vectors. Search widens to
// further lists while fewer than k candidates passed the filter, bounded
// by SearchParams.MaxCandidates.
//
// # Invariants
//
//   - Within a list, ids, codes (m per vector), e (L2) and raw (dims per
//     vector) are parallel arrays; Delete swaps the last entry in.
//   - Cosine indexes keep unit vectors; zero vectors are stored in a side
//     list and never returned.
//   - Supported metrics: L2, inner product, cosine (L1 does not decompose
//     over the inner-product tables and is rejected).
//
// # Concurrency
//
// One RWMutex: Search, Save, Stats shared; Train, Add, Delete exclusive.
//
// # Debugging
//
// Compare Search with Rerank=1 (PQ order) against a larger Rerank: a big
// gap means coarse codes (raise m); low recall even with a large Rerank
// means too few probes.
package ivfpq
