/**
 * The ground floor of {@code core}: what every other package may use and which uses none of them. YAML/JSON
 * binding with validated errors ({@link io.reviewrnn.core.base.Yaml}, {@link io.reviewrnn.core.base.ConfigException})
 * and small Hadoop file-system helpers ({@link io.reviewrnn.core.base.HadoopFiles}).
 */
package io.reviewrnn.core.base;
