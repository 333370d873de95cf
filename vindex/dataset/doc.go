// Package dataset reads ANN benchmark datasets in the TEXMEX fvecs/ivecs
// formats (as in ../shared/data): base vectors, queries and exact ground
// truth, and scores results with Recall.
//
// A dataset folder holds base.fvecs, query.fvecs and gt_<metric>.ivecs
// (top-100 neighbour ids, 0-based into base, ties by smaller id). Open picks
// the ground truth for the metric; when the folder has none for it (e.g. ip)
// Open computes it exactly with vindex/flat.
//
// Synthetic generates a clustered dataset with exact ground truth instead
// ("synthetic:NxD" for OpenNamed), for sizes the shared data lacks.
//
// Format: each record is a little-endian int32 dimension d followed by d
// float32 (fvecs) or int32 (ivecs) values. Every record of a file must have
// the same d. Readers check this and return errors, never panic, on
// malformed input (see FuzzParseFvecs).
package dataset
