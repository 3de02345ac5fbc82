using Google.Protobuf;

namespace NeuralNet.Onnx;

/// <summary>
/// One protobuf message being written, field by field, with Google.Protobuf's <see cref="CodedOutputStream"/>. The
/// exporter needs a dozen of onnx.proto's messages and only writes them, so they are written by field number here
/// rather than generated from the schema (the numbers are onnx.proto's; see <see cref="OnnxGraph"/>).
/// </summary>
internal sealed class ProtoMessage
{
    private readonly MemoryStream _buffer = new();
    private readonly CodedOutputStream _output;

    public ProtoMessage() => _output = new CodedOutputStream(_buffer, leaveOpen: true);

    public ProtoMessage Int64(int field, long value)
    {
        _output.WriteTag(field, WireFormat.WireType.Varint);
        _output.WriteInt64(value);
        return this;
    }

    public ProtoMessage Float(int field, float value)
    {
        _output.WriteTag(field, WireFormat.WireType.Fixed32);
        _output.WriteFloat(value);
        return this;
    }

    public ProtoMessage String(int field, string value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteString(value);
        return this;
    }

    public ProtoMessage Bytes(int field, byte[] value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteBytes(ByteString.CopyFrom(value));
        return this;
    }

    public ProtoMessage Message(int field, ProtoMessage value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteBytes(ByteString.CopyFrom(value.ToByteArray()));
        return this;
    }

    public byte[] ToByteArray()
    {
        _output.Flush();
        return _buffer.ToArray();
    }
}
