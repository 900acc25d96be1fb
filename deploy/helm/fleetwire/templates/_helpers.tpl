{{/* Names, labels and shared pieces of the Fleetwire chart. */}}

{{- define "fleetwire.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "fleetwire.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "fleetwire.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "fleetwire.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector labels of one role: include with (dict "root" $ "role" "edge"). */}}
{{- define "fleetwire.selectorLabels" -}}
app.kubernetes.io/name: {{ include "fleetwire.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .role }}
{{- end -}}

{{- define "fleetwire.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "fleetwire.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "fleetwire.image" -}}
{{- $registry := default .Values.image.registry .Values.global.imageRegistry -}}
{{- if .Values.image.digest -}}
{{- printf "%s/%s@%s" $registry .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- if or (eq (toString .Values.image.tag) "latest") (eq (toString .Values.image.tag) "") -}}
{{- fail "image.tag must name a version (not latest or empty), or set image.digest" -}}
{{- end -}}
{{- printf "%s/%s:%s" $registry .Values.image.repository (toString .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "fleetwire.secretName" -}}
{{- include "fleetwire.fullname" . -}}
{{- end -}}

{{- define "fleetwire.natsUrl" -}}
{{- .Values.nats.url -}}
{{- end -}}

{{/* Environment every role shares: include with (dict "root" $ "role" "edge" "nodeOptions" "..."). */}}
{{- define "fleetwire.env" -}}
{{- $root := .root -}}
- name: FLEETWIRE_ROLE
  value: {{ .role }}
- name: FLEETWIRE_INSTANCE_ID
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: BIND_ADDRESS
  value: "0.0.0.0"
- name: NODE_OPTIONS
  value: {{ .nodeOptions | quote }}
- name: NATS_URL
  value: {{ include "fleetwire.natsUrl" $root | quote }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ default (include "fleetwire.secretName" $root) $root.Values.redis.existingSecret }}
      key: {{ $root.Values.redis.existingSecretKey }}
- name: SHARDS
  value: {{ $root.Values.config.shards | quote }}
- name: LOG_LEVEL
  value: {{ $root.Values.config.logLevel | quote }}
- name: METRICS_PORT
  value: {{ $root.Values.config.metricsPort | quote }}
{{- with $root.Values.config.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The three probes of a role, on the metrics port: include with the role's values. */}}
{{- define "fleetwire.probes" -}}
{{- with .startupProbe }}
{{- if .enabled }}
startupProbe:
  httpGet:
    path: /startupz
    port: metrics
  periodSeconds: {{ .periodSeconds }}
  timeoutSeconds: {{ .timeoutSeconds }}
  failureThreshold: {{ .failureThreshold }}
{{- end }}
{{- end }}
{{- with .readinessProbe }}
{{- if .enabled }}
readinessProbe:
  httpGet:
    path: /readyz
    port: metrics
  periodSeconds: {{ .periodSeconds }}
  timeoutSeconds: {{ .timeoutSeconds }}
  failureThreshold: {{ .failureThreshold }}
  successThreshold: {{ .successThreshold }}
{{- end }}
{{- end }}
{{- with .livenessProbe }}
{{- if .enabled }}
livenessProbe:
  httpGet:
    path: /healthz
    port: metrics
  periodSeconds: {{ .periodSeconds }}
  timeoutSeconds: {{ .timeoutSeconds }}
  failureThreshold: {{ .failureThreshold }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Spread a role's pods over nodes and zones unless the values say otherwise. */}}
{{- define "fleetwire.topologySpread" -}}
{{- $values := index .root.Values .role -}}
{{- if $values.topologySpreadConstraints }}
{{ toYaml $values.topologySpreadConstraints }}
{{- else }}
- maxSkew: 1
  topologyKey: kubernetes.io/hostname
  whenUnsatisfiable: ScheduleAnyway
  labelSelector:
    matchLabels:
      {{- include "fleetwire.selectorLabels" . | nindent 6 }}
- maxSkew: 1
  topologyKey: topology.kubernetes.io/zone
  whenUnsatisfiable: ScheduleAnyway
  labelSelector:
    matchLabels:
      {{- include "fleetwire.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end -}}

{{/* Whether to render the ServiceMonitor. */}}
{{- define "fleetwire.serviceMonitorEnabled" -}}
{{- $enabled := .Values.metrics.serviceMonitor.enabled -}}
{{- if eq (toString $enabled) "auto" -}}
{{- if .Capabilities.APIVersions.Has "monitoring.coreos.com/v1/ServiceMonitor" }}true{{ end -}}
{{- else if $enabled -}}
true
{{- end -}}
{{- end -}}
