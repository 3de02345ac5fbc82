// Trains a 784-256-128-10 ReLU network on MNIST with mini-batch Adam (the same network and settings as the
// TorchSharp anchor's mnist-epoch), or with --cnn a LeNet-style convolutional network, shows each batch and epoch,
// checks the test accuracy, saves and reloads a checkpoint, and draws the loss and accuracy curves and a grid of
// misclassified test digits.
// usage: dotnet run --project samples/Mnist -c Release [-- [EPOCHS] [--cnn] [--out FOLDER] [--images TRAINING-IMAGES]]
using System.Globalization;
using MnistSample;
using NeuralNet.Samples.Support;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
int epochs = 2;
int? images = null;
bool convolutional = false;
string outputDirectory = Path.Combine("docs", "images");
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--out" when i + 1 < args.Length:
            outputDirectory = args[++i];
            break;
        case "--cnn":
            convolutional = true;
            break;
        case "--images" when i + 1 < args.Length:
            images = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        default:
            if (!int.TryParse(args[i], CultureInfo.InvariantCulture, out epochs))
            {
                Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: [EPOCHS] [--cnn] [--out FOLDER] [--images TRAINING-IMAGES]");
                return 2;
            }

            break;
    }
}

string data = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "data", "mnist");
MnistRun.Run(data, epochs, images, outputDirectory, Console.Out, TrainingDisplay.ForConsole(), convolutional);
return 0;
