using System.Buffers.Binary;
using System.Text;

namespace EbpfConsole.Lab.Api.Protobuf;

/// <summary>The protobuf wire types Kubernetes' messages use (groups, 3 and 4, never appear).</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}

/// <summary>
/// Reads one protobuf message's bytes field by field: tags, varints, length-delimited payloads. Anything
/// that does not fit the wire format (truncation, overlong varints, field 0, group wire types) is a 400.
/// Written by hand rather than taking Google.Protobuf: its value is generated message classes, which would
/// mean vendoring Kubernetes' .proto files and their generated code; the bare wire reader it would replace
/// is this small file, and here every malformation becomes the API's 400 with a message that names it.
/// </summary>
internal ref struct ProtoReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;
    private readonly string _message;
    private int _position;

    public ProtoReader(ReadOnlySpan<byte> data, string message)
    {
        _data = data;
        _message = message;
    }

    public readonly bool End => _position >= _data.Length;

    /// <summary>The next field's number and wire type.</summary>
    public (int Number, WireType Wire) ReadTag()
    {
        var tag = ReadVarint();
        var number = tag >> 3;
        var wire = (int)(tag & 7);
        if (number is 0 or > 0x1FFF_FFFF)
        {
            throw Malformed($"field number {number} in {_message}");
        }

        if (wire is not (0 or 1 or 2 or 5))
        {
            throw Malformed($"wire type {wire} (field {number} of {_message})");
        }

        return ((int)number, (WireType)wire);
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw Malformed($"truncated varint in {_message}");
            }

            var b = _data[_position++];
            if (shift == 63 && b > 1)
            {
                break;
            }

            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw Malformed($"varint longer than 64 bits in {_message}");
    }

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
        {
            throw Malformed($"a length of {length} runs past the end of {_message}");
        }

        var payload = _data.Slice(_position, (int)length);
        _position += (int)length;
        return payload;
    }

    public string ReadString(int field)
    {
        var payload = ReadLengthDelimited();
        try
        {
            return StrictUtf8.GetString(payload);
        }
        catch (DecoderFallbackException)
        {
            throw Malformed($"field {field} of {_message} is not UTF-8 text");
        }
    }

    public ReadOnlySpan<byte> ReadFixed(int size)
    {
        if (_data.Length - _position < size)
        {
            throw Malformed($"truncated fixed-size value in {_message}");
        }

        var payload = _data.Slice(_position, size);
        _position += size;
        return payload;
    }

    /// <summary>Reads the value of a field the schema does not know; true when it is the zero value (safe to ignore).</summary>
    public bool SkipAndCheckZero(WireType wire) => wire switch
    {
        WireType.Varint => ReadVarint() == 0,
        WireType.LengthDelimited => ReadLengthDelimited().IsEmpty,
        WireType.Fixed64 => BinaryPrimitives.ReadUInt64LittleEndian(ReadFixed(8)) == 0,
        _ => BinaryPrimitives.ReadUInt32LittleEndian(ReadFixed(4)) == 0,
    };

    public static ApiException Malformed(string detail) =>
        ApiException.BadRequest($"the request body is not valid Kubernetes protobuf: {detail}");
}
