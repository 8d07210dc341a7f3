namespace EbpfConsole.Lab.Api.Protobuf;

/// <summary>What a field holds and how it turns into JSON.</summary>
internal enum ProtoKind
{
    /// <summary>UTF-8 text (wire type 2).</summary>
    String,

    /// <summary>Raw bytes (wire type 2), base64 in JSON like Go's []byte.</summary>
    Bytes,

    /// <summary>Varint, true when not zero.</summary>
    Bool,

    /// <summary>Varint truncated to 32 bits (negative numbers are sign-extended to 64 on the wire).</summary>
    Int32,

    /// <summary>Varint as a 64-bit signed number.</summary>
    Int64,

    /// <summary>A nested message (<see cref="ProtoField.Message"/>).</summary>
    Message,

    /// <summary>map&lt;string, string&gt;: repeated entries {key = 1, value = 2}.</summary>
    MapOfStrings,

    /// <summary>map&lt;string, bytes&gt;: values base64 in JSON.</summary>
    MapOfBytes,

    /// <summary>map&lt;string, resource.Quantity&gt; (a ResourceList): values as quantity strings.</summary>
    MapOfQuantities,

    /// <summary>intstr.IntOrString {type = 1 (0 int, 1 string), intVal = 2, strVal = 3}: a JSON number or string.</summary>
    IntOrString,

    /// <summary>resource.Quantity {string = 1}: the quantity's text ("500m", "128Mi").</summary>
    Quantity,

    /// <summary>metav1.Time {seconds = 1, nanos = 2}: RFC 3339 in whole seconds; an empty message is the zero time (omitted).</summary>
    Time,

    /// <summary>runtime.RawExtension / metav1.FieldsV1 {raw = 1}: the embedded JSON document.</summary>
    RawJson,
}

/// <summary>
/// One field of a message: its number on the wire, its JSON name, what it holds, whether it repeats, whether a
/// zero value stays in the JSON (<see cref="KeepZero"/>: Go pointers and fields without omitempty) and whether a
/// nested message's fields are written into the parent object (<see cref="Inline"/>: Go's embedded structs).
/// </summary>
internal sealed record ProtoField(int Number, string JsonName, ProtoKind Kind, bool Repeated, bool KeepZero, bool Inline, string? MessageName)
{
    /// <summary>The nested message, resolved once the whole table is read.</summary>
    public ProtoMessage? Message { get; set; }
}

/// <summary>A message of the table: its Go name ("v1.PodSpec") and its fields by number.</summary>
internal sealed class ProtoMessage(string name, IReadOnlyDictionary<int, ProtoField> fields)
{
    public string Name { get; } = name;

    public IReadOnlyDictionary<int, ProtoField> Fields { get; } = fields;
}
