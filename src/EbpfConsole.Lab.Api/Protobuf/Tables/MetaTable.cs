namespace EbpfConsole.Lab.Api.Protobuf.Tables;

/// <summary>
/// apimachinery meta/v1 messages (k8s.io/apimachinery pkg/apis/meta/v1/generated.proto; field numbers from
/// there, JSON names and omitempty from types.go). Format: see <see cref="ProtoTable"/>.
/// </summary>
internal static class MetaTable
{
    public const string Text = """
        message v1.ObjectMeta
          1 name string
          2 generateName string
          3 namespace string
          4 selfLink string
          5 uid string
          6 resourceVersion string
          7 generation int64
          8 creationTimestamp time
          9 deletionTimestamp time
          10 deletionGracePeriodSeconds int64 keep
          11 labels map<string,string>
          12 annotations map<string,string>
          13 ownerReferences []v1.OwnerReference
          14 finalizers []string
          17 managedFields []v1.ManagedFieldsEntry

        message v1.OwnerReference
          1 kind string keep
          3 name string keep
          4 uid string keep
          5 apiVersion string keep
          6 controller bool keep
          7 blockOwnerDeletion bool keep

        message v1.ManagedFieldsEntry
          1 manager string
          2 operation string
          3 apiVersion string
          4 time time
          6 fieldsType string
          7 fieldsV1 raw
          8 subresource string

        message v1.LabelSelector
          1 matchLabels map<string,string>
          2 matchExpressions []v1.LabelSelectorRequirement

        message v1.LabelSelectorRequirement
          1 key string keep
          2 operator string keep
          3 values []string

        message v1.Condition
          1 type string keep
          2 status string keep
          3 observedGeneration int64
          4 lastTransitionTime time
          5 reason string keep
          6 message string keep

        message v1.DeleteOptions
          1 gracePeriodSeconds int64 keep
          2 preconditions v1.Preconditions
          3 orphanDependents bool keep
          4 propagationPolicy string keep
          5 dryRun []string
          6 ignoreStoreReadErrorWithClusterBreakingPotential bool keep

        message v1.Preconditions
          1 uid string keep
          2 resourceVersion string keep
        """;
}
