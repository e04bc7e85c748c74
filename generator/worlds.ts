/**
 * The two label worlds mesh series live in, once scraped (DESIGN §1):
 * - `otel`: the article's Collector pipeline (provisioning/collector/otel-collector.yaml): its relabel rules add
 *   `layer="mesh"` and the Kubernetes labels, its keep rule drops every family the views do not read;
 * - `linkerd`: linkerd-viz's own Prometheus (linkerd2 `viz/charts/linkerd-viz/templates/prometheus.yaml`, job
 *   `linkerd-proxy`): no `layer`, the pod's namespace, name, workload and labels, every family kept.
 * The scrape tests hold both to the real relabel rules run by a real Prometheus (tests/integration/scrape.test.ts).
 */
import type { LabelSchema } from '../src/settings/types';
import { nodeName, type Labels, type PodTarget } from './series';
import { appResourceAttributes, prometheusLabels } from './app';
import { CONTROL_PLANE_NS } from './linkerd/labels';

/** The Collector's `metric_relabel_configs` keep rule, as written in the pipeline's config. */
export const COLLECTOR_KEEP =
  /^(request_total|response_total|response_latency_ms_(bucket|sum|count)|tcp_open_total|tcp_open_connections|tcp_read_bytes_total|tcp_write_bytes_total|tcp_close_total)$/;

/** Whether a family the proxy exposes is stored in this world. */
export function stored(name: string, target: PodTarget, world: LabelSchema): boolean {
  return target.layer === 'app' || world === 'linkerd' || COLLECTOR_KEEP.test(name);
}

/** The pod labels a generated pod carries (besides Linkerd's own `linkerd.io/*`). */
export function podLabels(target: PodTarget): Labels {
  return target.podTemplateHash
    ? { app: target.workload, pod_template_hash: target.podTemplateHash }
    : { app: target.workload };
}

/** Labels that discovery and enrichment add to every series of a target, in the chosen world. */
export function targetLabels(target: PodTarget, world: LabelSchema): Labels {
  if (target.layer === 'app') {
    // What prometheusremotewrite makes of the SDK's resource: every attribute as a label
    // (resource_to_telemetry_conversion), job = service.namespace/service.name, instance = service.instance.id.
    const resource = appResourceAttributes(target);
    return {
      ...prometheusLabels(resource),
      job: `${resource['service.namespace']}/${resource['service.name']}`,
      instance: resource['service.instance.id'],
    };
  }
  const instance = `${target.ip}:4191`;
  if (world === 'linkerd') {
    return {
      job: 'linkerd-proxy',
      instance,
      namespace: target.namespace,
      pod: target.pod,
      [target.kind === 'job' ? 'k8s_job' : target.kind]: target.workload,
      control_plane_ns: CONTROL_PLANE_NS,
      workload_ns: target.namespace,
      ...podLabels(target),
    };
  }
  return {
    layer: 'mesh',
    job: 'linkerd-proxy',
    instance,
    k8s_namespace_name: target.namespace,
    [`k8s_${target.kind}_name`]: target.workload,
    k8s_pod_name: target.pod,
    k8s_node_name: nodeName(target),
  };
}
