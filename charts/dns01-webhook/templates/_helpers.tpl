{{/*
Naming and labels. Names are cut at 63 characters (the DNS-label limit that Services
and label values share).
*/}}

{{- define "dns01-webhook.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release fullname; a release already named after the chart is not repeated. Every
template names its objects with it, so the values check below runs before anything else. */}}
{{- define "dns01-webhook.fullname" -}}
{{- include "dns01-webhook.checkValues" . }}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "dns01-webhook.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "dns01-webhook.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dns01-webhook.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "dns01-webhook.labels" -}}
helm.sh/chart: {{ include "dns01-webhook.chart" . }}
{{ include "dns01-webhook.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: dns01-webhook
{{- end }}

{{/* The API group; installing without it fails here even when schema validation is skipped. */}}
{{- define "dns01-webhook.groupName" -}}
{{- required "groupName is required: set it to a DNS name you own, e.g. --set groupName=acme.example.com" .Values.groupName }}
{{- end }}

{{/* The webhook's ServiceAccount: the chart's (named after the release unless
serviceAccount.name is set), or, with serviceAccount.create=false, one that must exist and be
named. Unlike cert-manager's chart there is no fallback to "default": the chart binds
auth-delegator and Secret access to this account. */}}
{{- define "dns01-webhook.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "dns01-webhook.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false: name the existing ServiceAccount the webhook runs as" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* PKI object names (cert-manager Issuers, Certificates and their Secrets). */}}
{{- define "dns01-webhook.selfSignedIssuer" -}}
{{ printf "%s-selfsign" (include "dns01-webhook.fullname" .) }}
{{- end }}
{{- define "dns01-webhook.caIssuer" -}}
{{ printf "%s-ca" (include "dns01-webhook.fullname" .) }}
{{- end }}
{{- define "dns01-webhook.caCertificate" -}}
{{ printf "%s-ca" (include "dns01-webhook.fullname" .) }}
{{- end }}
{{- define "dns01-webhook.servingCertificate" -}}
{{ printf "%s-webhook-tls" (include "dns01-webhook.fullname" .) }}
{{- end }}

{{- define "dns01-webhook.configMapName" -}}
{{ printf "%s-config" (include "dns01-webhook.fullname" .) }}
{{- end }}

{{/* Namespaces where the webhook may read Secrets (and mint ServiceAccount tokens), deduplicated. */}}
{{- define "dns01-webhook.credentialNamespaces" -}}
{{- $list := .Values.secretAccess.namespaces | default (list .Values.certManager.namespace) }}
{{- toJson (uniq $list) }}
{{- end }}

{{/* The image reference, as cert-manager's chart builds it: [registry/]repository, then
@digest when a digest is set (it wins over the tag), else :tag (default: the appVersion). */}}
{{- define "dns01-webhook.image" -}}
{{- $image := .Values.image }}
{{- $name := $image.repository }}
{{- with $image.registry }}
{{- $name = printf "%s/%s" (trimSuffix "/" .) $name }}
{{- end }}
{{- if $image.digest }}
{{- printf "%s@%s" $name $image.digest }}
{{- else }}
{{- printf "%s:%s%s" $name (default .Chart.AppVersion $image.tag | toString) (include "dns01-webhook.flavorSuffix" .) }}
{{- end }}
{{- end }}

{{/* The tag suffix of the image flavour: "-acmesh" for the acmesh flavour, "" for the
default (distroless) image. */}}
{{- define "dns01-webhook.flavorSuffix" -}}
{{- if eq (include "dns01-webhook.acmesh" .) "true" }}-acmesh{{ end }}
{{- end }}

{{/* "true" when the acmesh flavour is selected (image.flavor: acmesh). A default config
naming an acmesh solver without it fails here: the distroless image has no shell. */}}
{{- define "dns01-webhook.acmesh" -}}
{{- $flavor := (.Values.image | default dict).flavor | default "" }}
{{- if eq $flavor "acmesh" }}true{{ else }}
{{- if contains "\"acmesh\"" (toJson (.Values.config | default dict)) }}
{{- fail "config names the acmesh provider, which needs the acmesh image flavour: set image.flavor: acmesh (docs/providers/acmesh.md)" }}
{{- end }}false{{ end }}
{{- end }}

{{/* Pull secrets: global.imagePullSecrets (cert-manager's name) followed by the older
top-level imagePullSecrets, duplicates dropped; as a JSON list. */}}
{{- define "dns01-webhook.imagePullSecrets" -}}
{{- $global := (.Values.global | default dict).imagePullSecrets | default list }}
{{- toJson (uniq (concat $global (.Values.imagePullSecrets | default list))) }}
{{- end }}

{{/* An alert's labels, (list .Values.prometheusRule <the alert's values>): its severity and
prometheusRule.additionalRuleLabels. */}}
{{- define "dns01-webhook.alertLabels" -}}
{{- $cfg := index . 0 }}
{{- $alert := index . 1 }}
{{- toYaml (merge (dict "severity" $alert.severity) ($cfg.additionalRuleLabels | default dict)) }}
{{- end }}

{{/* An alert's annotations beyond summary and description, (list .Values.prometheusRule
"AlertName"): runbook_url (prometheusRule.runbookBaseURL with the alert's anchor in
docs/install.md) and prometheusRule.additionalRuleAnnotations; empty when neither is set. */}}
{{- define "dns01-webhook.alertAnnotations" -}}
{{- $cfg := index . 0 }}
{{- $extra := dict }}
{{- with $cfg.runbookBaseURL }}
{{- $_ := set $extra "runbook_url" (printf "%s#%s" (trimSuffix "/" .) (lower (index $ 1))) }}
{{- end }}
{{- $extra = merge $extra ($cfg.additionalRuleAnnotations | default dict) }}
{{- if $extra }}
{{- toYaml $extra }}
{{- end }}
{{- end }}

{{/* Keys every values set of this chart version has. They are missing only when values of
an older chart were reused (`helm upgrade --reuse-values` replaces the new chart's defaults
with the old release's) or a whole block was set to null. Rendering on without them would,
for instance, drop the pod's securityContext; fail instead and say what to do. */}}
{{- define "dns01-webhook.checkValues" -}}
{{- $missing := list }}
{{- range $key := list "podSecurityContext" "containerSecurityContext" "prometheusRule" "grafanaDashboard" }}
{{- if not (hasKey $.Values $key) }}
{{- $missing = append $missing $key }}
{{- end }}
{{- end }}
{{- if not (hasKey (.Values.serviceAccount | default dict) "create") }}
{{- $missing = append $missing "serviceAccount.create" }}
{{- end }}
{{- if $missing }}
{{- fail (printf "the values lack %s, which this chart (%s) defines. Upgrading from an older chart with `helm upgrade --reuse-values` reuses the old chart's defaults: use --reset-then-reuse-values (Helm 3.14+), or pass your values file with -f (docs/install.md, Upgrading). To drop single settings, set them to null, not the whole block." (join ", " $missing) .Chart.Version) }}
{{- end }}
{{- end }}

{{/* Whether the webhook locks record names on Leases, so the chart grants it Leases in its
namespace: `nameLocks.enabled` true or false, or "auto": when a provider that rewrites whole TXT
sets without a precondition (akamai, gandi, huaweicloud, pdns: see docs/providers.md) is a
served solver or appears in the default config. An Issuer's own config for `dispatch` can name
any provider, which the chart cannot see: set true then (the webhook's error says so). */}}
{{- define "dns01-webhook.nameLocks" -}}
{{- $locks := .Values.nameLocks | default dict }}
{{- $setting := "auto" }}
{{- if hasKey $locks "enabled" }}
{{- $setting = $locks.enabled }}
{{- end }}
{{- if eq (toString $setting) "auto" }}
{{- $readModifyWrite := list "akamai" "gandi" "huaweicloud" "pdns" }}
{{- $named := concat (.Values.solvers | default list) (keys (.Values.config | default dict)) }}
{{- range $entry := (.Values.config | default dict).providers | default list }}
{{- if kindIs "map" $entry }}
{{- $named = concat $named (keys $entry) }}
{{- end }}
{{- end }}
{{- $needed := false }}
{{- range $named }}
{{- if has . $readModifyWrite }}
{{- $needed = true }}
{{- end }}
{{- end }}
{{- ternary "true" "" $needed }}
{{- else if eq (toString $setting) "true" -}}
true
{{- end }}
{{- end }}
