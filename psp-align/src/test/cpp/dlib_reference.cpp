// Reference outputs of dlib itself, for the tests of psp-align (not part of the SDK).
//
//   dlib_reference detect <shape_predictor.dat> <image.png>...   JSON of detections and landmarks per image,
//                                                                  as dlib.get_frontal_face_detector()(img, 1)
//                                                                  and dlib.shape_predictor(path)(img, rect) give them
//   dlib_reference dump-detector <out.dat>                        the frontal face detector, serialized uncompressed
//   dlib_reference time <shape_predictor.dat> <image.png> <n>     mean seconds of detect + landmarks over n runs
//   dlib_reference dump-filters                                   the separable filters dlib derives from the
//                                                                  detector's weights, as C99 hex floats
//   dlib_reference dump-fhog <image.png> <out.bin>                level 0 fHOG of the upsampled image, float32
//
// Built by make_dlib_reference.sh against Debian's libdlib-dev (dlib 19.24).
#include <dlib/image_io.h>
#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/serialize.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

using namespace dlib;

namespace {

// What the Python binding's detector(img, 1) does: upsample once with pyramid_down<2>, detect with
// threshold 0, map the rectangles back.
std::vector<rect_detection> detect_upsampled(frontal_face_detector& detector, const array2d<rgb_pixel>& img) {
  pyramid_down<2> pyr;
  array2d<rgb_pixel> up;
  pyramid_up(img, up, pyr);
  std::vector<rect_detection> dets;
  detector(up, dets, 0.0);
  for (auto& d : dets) {
    d.rect = pyr.rect_down(d.rect, 1);
  }
  return dets;
}

void print_json(const std::string& file, const array2d<rgb_pixel>& img, const std::vector<rect_detection>& dets,
                shape_predictor& sp) {
  std::printf("{\"file\": \"%s\", \"width\": %ld, \"height\": %ld, \"detections\": [", file.c_str(), img.nc(),
              img.nr());
  for (size_t i = 0; i < dets.size(); ++i) {
    const rect_detection& d = dets[i];
    full_object_detection shape = sp(img, d.rect);
    std::printf("%s\n  {\"left\": %ld, \"top\": %ld, \"right\": %ld, \"bottom\": %ld, \"score\": %.17g, "
                "\"weight_index\": %lu, \"landmarks\": [", i == 0 ? "" : ",", d.rect.left(), d.rect.top(),
                d.rect.right(), d.rect.bottom(), d.detection_confidence, d.weight_index);
    for (unsigned long k = 0; k < shape.num_parts(); ++k) {
      std::printf("%s[%ld, %ld]", k == 0 ? "" : ", ", shape.part(k).x(), shape.part(k).y());
    }
    std::printf("]}");
  }
  std::printf("]}\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: dlib_reference detect <sp.dat> <image>... | dump-detector <out> | time <sp.dat> <image> <n>\n";
    return 2;
  }
  std::string mode = argv[1];
  frontal_face_detector detector = get_frontal_face_detector();
  if (mode == "dump-detector") {
    std::ofstream out(argv[2], std::ios::binary);
    serialize(detector, out);
    return 0;
  }
  if (mode == "dump-filters") {
    for (unsigned long i = 0; i < detector.num_detectors(); ++i) {
      auto bank = detector.get_scanner().build_fhog_filterbank(detector.get_w(i));
      for (size_t p = 0; p < bank.row_filters.size(); ++p) {
        for (size_t j = 0; j < bank.row_filters[p].size(); ++j) {
          std::printf("%lu %zu %zu", i, p, j);
          for (long k = 0; k < bank.row_filters[p][j].size(); ++k) std::printf(" %a", bank.row_filters[p][j](k));
          for (long k = 0; k < bank.col_filters[p][j].size(); ++k) std::printf(" %a", bank.col_filters[p][j](k));
          std::printf("\n");
        }
      }
    }
    return 0;
  }
  if (mode == "dump-fhog" && argc == 4) {
    array2d<rgb_pixel> img, up;
    load_image(img, argv[2]);
    pyramid_up(img, up, pyramid_down<2>());
    dlib::array<array2d<float>> planes;
    extract_fhog_features(up, planes, 8, 10, 10);
    std::ofstream out(argv[3], std::ios::binary);
    for (size_t p = 0; p < planes.size(); ++p) {
      for (long r = 0; r < planes[p].nr(); ++r) {
        out.write(reinterpret_cast<const char*>(&planes[p][r][0]), planes[p].nc() * sizeof(float));
      }
    }
    std::printf("%zu planes of %ld x %ld\n", planes.size(), planes[0].nr(), planes[0].nc());
    return 0;
  }
  shape_predictor sp;
  deserialize(argv[2]) >> sp;
  if (mode == "detect") {
    std::printf("[\n");
    for (int i = 3; i < argc; ++i) {
      array2d<rgb_pixel> img;
      load_image(img, argv[i]);
      std::string name = argv[i];
      name = name.substr(name.find_last_of('/') + 1);
      print_json(name, img, detect_upsampled(detector, img), sp);
      if (i + 1 < argc) {
        std::printf(",\n");
      }
    }
    std::printf("]\n");
    return 0;
  }
  if (mode == "time" && argc == 5) {
    array2d<rgb_pixel> img;
    load_image(img, argv[3]);
    int n = std::stoi(argv[4]);
    unsigned long parts = 0;
    auto run = [&]() {
      for (const auto& d : detect_upsampled(detector, img)) {
        parts += sp(img, d.rect).num_parts();
      }
    };
    run();  // warm-up
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) {
      run();
    }
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / n;
    std::printf("detect + landmarks: %.4f s per image (%d runs, %lu parts)\n", s, n, parts);
    return 0;
  }
  std::cerr << "unknown mode " << mode << "\n";
  return 2;
}
