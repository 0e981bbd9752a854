/**
 * The dataset-builder stage: Spark jobs that filter, bucket and shard captioned clips into training
 * data. Lands with issue 3.
 */
package ying.datasetbuilder;
