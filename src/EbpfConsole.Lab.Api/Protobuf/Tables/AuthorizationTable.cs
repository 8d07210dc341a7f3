namespace EbpfConsole.Lab.Api.Protobuf.Tables;

/// <summary>
/// authorization.k8s.io/v1 SelfSubjectAccessReview, the body `kubectl auth can-i` sends (k8s.io/api authorization/v1
/// generated.proto; JSON names and omitempty from types.go). Format: see <see cref="ProtoTable"/>.
/// </summary>
internal static class AuthorizationTable
{
    public const string Text = """
        message v1.SelfSubjectAccessReview
          1 metadata v1.ObjectMeta
          2 spec v1.SelfSubjectAccessReviewSpec
          3 status v1.SubjectAccessReviewStatus

        message v1.SelfSubjectAccessReviewSpec
          1 resourceAttributes v1.ResourceAttributes
          2 nonResourceAttributes v1.NonResourceAttributes

        message v1.ResourceAttributes
          1 namespace string
          2 verb string
          3 group string
          4 version string
          5 resource string
          6 subresource string
          7 name string
          8 fieldSelector v1.FieldSelectorAttributes
          9 labelSelector v1.LabelSelectorAttributes

        message v1.FieldSelectorAttributes
          1 rawSelector string
          2 requirements []v1.FieldSelectorRequirement

        message v1.FieldSelectorRequirement
          1 key string keep
          2 operator string keep
          3 values []string

        message v1.LabelSelectorAttributes
          1 rawSelector string
          2 requirements []v1.LabelSelectorRequirement

        message v1.NonResourceAttributes
          1 path string
          2 verb string

        message v1.SubjectAccessReviewStatus
          1 allowed bool keep
          2 reason string
          3 evaluationError string
          4 denied bool
        """;
}
